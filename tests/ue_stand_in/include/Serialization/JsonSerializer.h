// Stand-in (see CoreMinimal.h): FJsonSerializer as in Json/Public/Serialization/JsonSerializer.h.
#pragma once

#include "CoreMinimal.h"
#include "Dom/JsonObject.h"
#include "Serialization/JsonReader.h"
#include "Serialization/JsonWriter.h"

class FJsonSerializer {
 public:
  template <class CharType>
  static bool Deserialize(const TSharedRef<TJsonReader<CharType>>& Reader, TSharedPtr<FJsonObject>& OutObject);
  template <class CharType, class PrintPolicy>
  static bool Serialize(const TSharedRef<FJsonObject>& Object, const TSharedRef<TJsonWriter<CharType, PrintPolicy>>& Writer,
                        bool bCloseWriter = true);
};
