// Stand-in (see CoreMinimal.h): FJsonObject / FJsonValue as in Json/Public/Dom/JsonObject.h and
// JsonValue.h (UE 5.0-5.3 signatures: field names as const FString&).
#pragma once

#include "CoreMinimal.h"

class FJsonObject;

class FJsonValue {
 public:
  virtual ~FJsonValue() = default;
  bool TryGetNumber(double& OutNumber) const;
  bool TryGetNumber(float& OutNumber) const;
  bool TryGetNumber(int32& OutNumber) const;
  bool TryGetString(FString& OutString) const;
  bool TryGetObject(const TSharedPtr<FJsonObject>*& Object) const;
};

class FJsonObject {
 public:
  TMap<FString, TSharedPtr<FJsonValue>> Values;

  bool TryGetStringField(const FString& FieldName, FString& OutString) const;
  bool TryGetNumberField(const FString& FieldName, float& OutNumber) const;
  bool TryGetNumberField(const FString& FieldName, double& OutNumber) const;
  bool TryGetNumberField(const FString& FieldName, int32& OutNumber) const;
  bool TryGetNumberField(const FString& FieldName, uint32& OutNumber) const;
  bool TryGetNumberField(const FString& FieldName, int64& OutNumber) const;
  bool TryGetBoolField(const FString& FieldName, bool& OutBool) const;
  bool TryGetObjectField(const FString& FieldName, const TSharedPtr<FJsonObject>*& OutObject) const;

  void SetStringField(const FString& FieldName, const FString& StringValue);
  void SetNumberField(const FString& FieldName, double Number);
  void SetBoolField(const FString& FieldName, bool InValue);
  void SetObjectField(const FString& FieldName, const TSharedPtr<FJsonObject>& JsonObject);
};
