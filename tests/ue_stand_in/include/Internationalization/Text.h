// Stand-in (see CoreMinimal.h): localized text as in Core/Public/Internationalization/Text.h and
// Internationalization.h. LOCTEXT needs LOCTEXT_NAMESPACE defined, as in the engine.
#pragma once

class FText {
 public:
  FText() = default;
  static const FText& GetEmpty();
  bool IsEmpty() const;
  static FText FromString(const class FString& text);
};

namespace ue_stand_in {
FText localized(const TCHAR* ns, const TCHAR* key, const TCHAR* text);
}  // namespace ue_stand_in

// One more expansion than TEXT itself, so that LOCTEXT_NAMESPACE becomes its string first.
#define UE_STAND_IN_TEXT(x) TEXT(x)
#define NSLOCTEXT(InNamespace, InKey, InTextLiteral) \
  ue_stand_in::localized(UE_STAND_IN_TEXT(InNamespace), UE_STAND_IN_TEXT(InKey), UE_STAND_IN_TEXT(InTextLiteral))
#define LOCTEXT(InKey, InTextLiteral) \
  ue_stand_in::localized(UE_STAND_IN_TEXT(LOCTEXT_NAMESPACE), UE_STAND_IN_TEXT(InKey), UE_STAND_IN_TEXT(InTextLiteral))
