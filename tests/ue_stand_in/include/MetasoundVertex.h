// Stand-in (see MetasoundOperatorSettings.h): MetasoundVertex.h. A vertex's default is a literal
// of its own type (bool, int32, float or FString), as FLiteral allows.
#pragma once

#include "CoreMinimal.h"

namespace Metasound {
using FVertexName = FName;

struct FDataVertexMetadata {
  FText Description;
  FText DisplayName;
  bool bIsAdvancedDisplay = false;
};

class FInputDataVertex {};
class FOutputDataVertex {};

template <typename DataType>
class TInputDataVertex : public FInputDataVertex {
 public:
  TInputDataVertex(const FVertexName& InDataVertexName, const FDataVertexMetadata& InMetadata);
  template <typename LiteralType>
  TInputDataVertex(const FVertexName& InDataVertexName, const FDataVertexMetadata& InMetadata, const LiteralType& InDefault) {
    static_assert(std::is_same_v<LiteralType, bool> || std::is_same_v<LiteralType, int32> ||
                      std::is_same_v<LiteralType, float> || std::is_same_v<LiteralType, FString>,
                  "a vertex default is a bool, int32, float or FString literal");
    static_assert(std::is_same_v<LiteralType, DataType>, "the default's type should be the vertex's own");
  }
};

template <typename DataType>
class TOutputDataVertex : public FOutputDataVertex {
 public:
  TOutputDataVertex(const FVertexName& InDataVertexName, const FDataVertexMetadata& InMetadata);
};

class FInputVertexInterface {
 public:
  FInputVertexInterface();
  template <typename... VertexTypes>
  explicit FInputVertexInterface(VertexTypes&&... InVertices) {
    static_assert((std::is_base_of_v<FInputDataVertex, std::decay_t<VertexTypes>> && ...), "inputs are input vertices");
  }
};

class FOutputVertexInterface {
 public:
  FOutputVertexInterface();
  template <typename... VertexTypes>
  explicit FOutputVertexInterface(VertexTypes&&... InVertices) {
    static_assert((std::is_base_of_v<FOutputDataVertex, std::decay_t<VertexTypes>> && ...), "outputs are output vertices");
  }
};

class FVertexInterface {
 public:
  FVertexInterface();
  FVertexInterface(const FInputVertexInterface& InInputs, const FOutputVertexInterface& InOutputs);
};
}  // namespace Metasound
