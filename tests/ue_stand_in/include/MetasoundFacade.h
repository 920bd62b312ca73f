// Stand-in (see MetasoundOperatorSettings.h): MetasoundFacade.h (UE 5.3-5.5), with the engine's
// checks of the operator's static functions.
#pragma once

#include "MetasoundBuilderInterface.h"
#include "MetasoundNodeInterface.h"

namespace Metasound {
template <typename OperatorType>
struct TFacadeOperatorClass {
  static_assert(std::is_base_of_v<IOperator, OperatorType>, "the operator must derive from IOperator");
  static_assert(std::is_same_v<decltype(&OperatorType::CreateOperator),
                               TUniquePtr<IOperator> (*)(const FBuildOperatorParams&, FBuildResults&)>,
                "static TUniquePtr<IOperator> CreateOperator(const FBuildOperatorParams&, FBuildResults&)");
  static_assert(std::is_same_v<decltype(&OperatorType::GetNodeInfo), const FNodeClassMetadata& (*)()>,
                "static const FNodeClassMetadata& GetNodeInfo()");
};

class FNode : public INode {
 public:
  virtual const FNodeClassMetadata& GetMetadata() const override;
};

class FNodeFacade : public FNode {
 public:
  FNodeFacade() = delete;
  template <typename OperatorType>
  FNodeFacade(const FVertexName& InInstanceName, const FGuid& InInstanceID, TFacadeOperatorClass<OperatorType> OperatorClass) {
    (void)OperatorType::GetNodeInfo();
  }
  virtual ~FNodeFacade() = default;
};
}  // namespace Metasound
