// Stand-in (see MetasoundOperatorSettings.h): MetasoundOperatorInterface.h (UE 5.3-5.5).
#pragma once

#include "MetasoundDataReference.h"
#include "MetasoundOperatorSettings.h"
#include "MetasoundVertexData.h"

namespace Metasound {
class IOperator {
 public:
  struct FResetParams {
    const FOperatorSettings& OperatorSettings;
    const FMetasoundEnvironment& Environment;
  };
  virtual ~IOperator() {}
  virtual void BindInputs(FInputVertexInterfaceData& InVertexData);
  virtual void BindOutputs(FOutputVertexInterfaceData& InVertexData);
  using FResetFunction = void (*)(IOperator*, const FResetParams& InParams);
  virtual FResetFunction GetResetFunction() = 0;
  using FExecuteFunction = void (*)(IOperator*);
  virtual FExecuteFunction GetExecuteFunction() = 0;
  using FPostExecuteFunction = void (*)(IOperator*);
  virtual FPostExecuteFunction GetPostExecuteFunction() = 0;
};
}  // namespace Metasound
