// Stand-in (see MetasoundOperatorSettings.h): MetasoundVertexData.h. Binding may repoint a
// reference (UE 5.3+), so the bind calls take the operator's own references.
#pragma once

#include "MetasoundDataReference.h"
#include "MetasoundOperatorSettings.h"
#include "MetasoundVertex.h"

namespace Metasound {
class FInputVertexInterfaceData {
 public:
  template <typename DataType>
  void BindReadVertex(const FVertexName& InVertexName, TDataReadReference<DataType>& InOutDataReference);
  template <typename DataType>
  TDataReadReference<DataType> GetOrCreateDefaultDataReadReference(const FVertexName& InVertexName,
                                                                   const FOperatorSettings& InSettings) const;
  template <typename DataType, typename... ConstructorArgTypes>
  TDataReadReference<DataType> GetOrConstructDataReadReference(const FVertexName& InVertexName,
                                                               ConstructorArgTypes&&... ConstructorArgs) const {
    static_assert(std::is_constructible_v<DataType, ConstructorArgTypes...>, "no such constructor of the data type");
    return {};
  }
};

class FOutputVertexInterfaceData {
 public:
  template <typename DataType>
  void BindReadVertex(const FVertexName& InVertexName, TDataReadReference<DataType>& InOutDataReference);
  template <typename DataType>
  void BindReadVertex(const FVertexName& InVertexName, TDataWriteReference<DataType>& InOutDataReference);
};
}  // namespace Metasound
