// Stand-in (see CoreMinimal.h): TJsonReader as in Json/Public/Serialization/JsonReader.h.
#pragma once

#include "CoreMinimal.h"

template <typename CharType = TCHAR>
class TJsonReader {
 public:
  virtual ~TJsonReader() = default;
};

template <typename CharType = TCHAR>
class TJsonReaderFactory {
 public:
  static TSharedRef<TJsonReader<CharType>> Create(const FString& JsonString);
};
