// Stand-in (see MetasoundOperatorSettings.h): MetasoundParamHelper.h. Outside the editor (UE 5.4+)
// a parameter has a name only: code that reads its tooltip directly fails in game builds.
#pragma once

#include "MetasoundVertex.h"

#if WITH_EDITOR
#define METASOUND_PARAM(NAME, NAME_TEXT, TOOLTIP_TEXT)              \
  static const TCHAR* NAME##Name = TEXT(NAME_TEXT);                 \
  static const FText NAME##Tooltip = LOCTEXT(#NAME "Tooltip", TOOLTIP_TEXT); \
  static const FText NAME##DisplayName = LOCTEXT(#NAME "DisplayName", NAME_TEXT);
#define METASOUND_GET_PARAM_METADATA(NAME) FDataVertexMetadata{NAME##Tooltip, NAME##DisplayName}
#else
#define METASOUND_PARAM(NAME, NAME_TEXT, TOOLTIP_TEXT) static const TCHAR* NAME##Name = TEXT(NAME_TEXT);
#define METASOUND_GET_PARAM_METADATA(NAME) FDataVertexMetadata{}
#endif
#define METASOUND_GET_PARAM_NAME(NAME) NAME##Name
#define METASOUND_GET_PARAM_NAME_AND_METADATA(NAME) METASOUND_GET_PARAM_NAME(NAME), METASOUND_GET_PARAM_METADATA(NAME)
