// Stand-in (see MetasoundOperatorSettings.h): MetasoundDataReference.h. Read references give
// const access only; write references are created with their type's constructor arguments.
#pragma once

#include "CoreMinimal.h"

namespace Metasound {
template <typename DataType>
class TDataReadReference {
 public:
  const DataType& operator*() const;
  const DataType* operator->() const;
  template <typename... ArgTypes>
  static TDataReadReference CreateNew(ArgTypes&&... Args);
};

template <typename DataType>
class TDataWriteReference {
 public:
  DataType& operator*() const;
  DataType* operator->() const;
  operator TDataReadReference<DataType>() const;
  template <typename... ArgTypes>
  static TDataWriteReference CreateNew(ArgTypes&&... Args) {
    static_assert(std::is_constructible_v<DataType, ArgTypes...>, "CreateNew: the data type has no such constructor");
    return {};
  }
};

class FDataReferenceCollection {};
}  // namespace Metasound
