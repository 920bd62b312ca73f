// Stand-in (see MetasoundOperatorSettings.h): MetasoundPrimitives.h (MetasoundFrontend).
#pragma once

#include "MetasoundDataReference.h"

namespace Metasound {
using FBoolReadRef = TDataReadReference<bool>;
using FBoolWriteRef = TDataWriteReference<bool>;
using FInt32ReadRef = TDataReadReference<int32>;
using FInt32WriteRef = TDataWriteReference<int32>;
using FFloatReadRef = TDataReadReference<float>;
using FFloatWriteRef = TDataWriteReference<float>;
using FStringReadRef = TDataReadReference<FString>;
using FStringWriteRef = TDataWriteReference<FString>;
}  // namespace Metasound
