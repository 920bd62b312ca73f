// Stand-in (see MetasoundOperatorSettings.h): MetasoundNodeRegistrationMacro.h (UE 5.3-5.5), with
// the engine's checks of the node class.
#pragma once

#include "MetasoundFrontendRegistryContainer.h"
#include "MetasoundNodeInterface.h"

#define METASOUND_REGISTER_NODE(NodeClass)                                                                     \
  static_assert(std::is_base_of<::Metasound::INodeBase, NodeClass>::value, #NodeClass " must derive from INodeBase"); \
  static_assert(std::is_constructible_v<NodeClass, const ::Metasound::FNodeInitData&>,                          \
                #NodeClass " needs a public constructor " #NodeClass "(const Metasound::FNodeInitData&)");        \
  static bool bSuccessfullyRegistered##NodeClass = FMetasoundFrontendRegistryContainer::Get()->EnqueueInitCommand( \
      []() { (void)NodeClass(::Metasound::FNodeInitData{}); });

#if WITH_EDITOR
#define METASOUND_LOCTEXT(KEY, NAME_TEXT) LOCTEXT(KEY, NAME_TEXT)
#else
#define METASOUND_LOCTEXT(KEY, NAME_TEXT) FText::GetEmpty()
#endif
