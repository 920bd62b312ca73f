// Stand-in (see MetasoundOperatorSettings.h): MetasoundBuilderInterface.h (UE 5.3-5.5).
#pragma once

#include "MetasoundNodeInterface.h"
#include "MetasoundOperatorInterface.h"
#include "MetasoundVertexData.h"

namespace Metasound {
class IOperatorBuilder;

struct FBuildResults {};

struct FBuildOperatorParams {
  const INode& Node;
  const FOperatorSettings& OperatorSettings;
  const FInputVertexInterfaceData& InputData;
  const FMetasoundEnvironment& Environment;
  const IOperatorBuilder* Builder = nullptr;
};
}  // namespace Metasound
