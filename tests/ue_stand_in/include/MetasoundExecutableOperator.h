// Stand-in (see MetasoundOperatorSettings.h): MetasoundExecutableOperator.h. The engine finds the
// derived class's Reset by its exact signature, so one with another signature would silently never
// run: the stand-in refuses it.
#pragma once

#include "MetasoundOperatorInterface.h"

namespace Metasound {
template <class DerivedOperatorType>
class TExecutableOperator : public IOperator {
 public:
  virtual ~TExecutableOperator() {}
  virtual FResetFunction GetResetFunction() override {
    if constexpr (requires { &DerivedOperatorType::Reset; }) {
      static_assert(std::is_same_v<decltype(&DerivedOperatorType::Reset),
                                   void (DerivedOperatorType::*)(const IOperator::FResetParams&)>,
                    "Reset must be void Reset(const IOperator::FResetParams&)");
      return [](IOperator* Operator, const FResetParams& Params) { static_cast<DerivedOperatorType*>(Operator)->Reset(Params); };
    } else {
      return nullptr;
    }
  }
  virtual FExecuteFunction GetExecuteFunction() override {
    return [](IOperator* Operator) { static_cast<DerivedOperatorType*>(Operator)->Execute(); };
  }
  virtual FPostExecuteFunction GetPostExecuteFunction() override { return nullptr; }
};
}  // namespace Metasound
