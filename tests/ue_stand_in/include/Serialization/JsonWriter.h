// Stand-in (see CoreMinimal.h): TJsonWriter as in Json/Public/Serialization/JsonWriter.h.
#pragma once

#include "CoreMinimal.h"

template <class CharType>
struct TPrettyJsonPrintPolicy {};

template <class CharType = TCHAR, class PrintPolicy = TPrettyJsonPrintPolicy<CharType>>
class TJsonWriter {
 public:
  virtual ~TJsonWriter() = default;
  bool Close();
};

template <class CharType = TCHAR, class PrintPolicy = TPrettyJsonPrintPolicy<CharType>>
class TJsonWriterFactory {
 public:
  static TSharedRef<TJsonWriter<CharType, PrintPolicy>> Create(FString* const Stream, int32 InitialIndentLevel = 0);
};
