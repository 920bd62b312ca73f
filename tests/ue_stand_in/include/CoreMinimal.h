// A minimal stand-in for the part of the Unreal Engine 5 API that the plugin's glue uses, so that
// the glue can be compiled here (syntax and types, -fsyntax-only) without the engine. It is not
// the engine: each declaration follows the engine's own signature (checked against the UE 5
// headers), with no behaviour behind it. What it catches: glue that no longer matches the core's
// API, C++ mistakes, wrong argument types to the UE calls modelled here. What it cannot catch:
// Unreal Header Tool rules and engine APIs it does not model (the real check is a UBT build).
#pragma once

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

using int8 = std::int8_t;
using int16 = std::int16_t;
using int32 = std::int32_t;
using int64 = std::int64_t;
using uint8 = std::uint8_t;
using uint16 = std::uint16_t;
using uint32 = std::uint32_t;
using uint64 = std::uint64_t;
using TCHAR = char16_t;  // as on Linux and macOS (Windows: wchar_t)
using ANSICHAR = char;
using UTF8CHAR = char8_t;

#define TEXT(x) u##x
// Engine macros with short names that every file after CoreMinimal.h sees (the core's headers too).
#define PI (3.1415926535897932f)
#define check(expr) ((void)(expr))
#define verify(expr) ((void)(expr))
#define ensure(expr) (!!(expr))
#define INDEX_NONE (-1)
#define UE_ARRAY_COUNT(a) (sizeof(a) / sizeof((a)[0]))
#define FORCEINLINE inline

// Unreal Header Tool markup: nothing for the compiler.
#define UCLASS(...)
#define USTRUCT(...)
#define UENUM(...)
#define UPROPERTY(...)
#define UFUNCTION(...)
#define GENERATED_BODY()
#define GENERATED_UCLASS_BODY()
#define GENERATED_USTRUCT_BODY()

template <typename T>
std::remove_reference_t<T>&& MoveTemp(T&& value) noexcept {
  return static_cast<std::remove_reference_t<T>&&>(value);
}

// --- Containers ------------------------------------------------------------------------------

template <typename T>
class TArray {
 public:
  TArray() = default;
  TArray(std::initializer_list<T> items) : items_(items) {}
  int32 Num() const { return static_cast<int32>(items_.size()); }
  bool IsValidIndex(int32 index) const { return index >= 0 && index < Num(); }
  T* GetData() { return items_.data(); }
  const T* GetData() const { return items_.data(); }
  int32 Add(const T& item) {
    items_.push_back(item);
    return Num() - 1;
  }
  int32 Add(T&& item) {
    items_.push_back(static_cast<T&&>(item));
    return Num() - 1;
  }
  void SetNumZeroed(int32 n) { items_.assign(static_cast<std::size_t>(n), T{}); }
  void SetNumUninitialized(int32 n) { items_.resize(static_cast<std::size_t>(n)); }
  void Empty() { items_.clear(); }
  T& operator[](int32 index) { return items_[static_cast<std::size_t>(index)]; }
  const T& operator[](int32 index) const { return items_[static_cast<std::size_t>(index)]; }
  T* begin() { return items_.data(); }
  T* end() { return items_.data() + items_.size(); }
  const T* begin() const { return items_.data(); }
  const T* end() const { return items_.data() + items_.size(); }

 private:
  std::vector<T> items_;
};

template <typename K, typename V>
struct TPair {
  TPair() = default;
  TPair(const K& key, const V& value) : Key(key), Value(value) {}
  K Key{};
  V Value{};
};

template <typename K, typename V>
class TMap {
 public:
  using ElementType = TPair<K, V>;
  V& Add(const K& key, const V& value) {
    if (V* found = Find(key)) return *found = value;
    pairs_.Add(ElementType(key, value));
    return pairs_[pairs_.Num() - 1].Value;
  }
  V& Add(const K& key) { return Add(key, V{}); }
  V* Find(const K& key) {
    for (auto& p : pairs_) {
      if (p.Key == key) return &p.Value;
    }
    return nullptr;
  }
  const V* Find(const K& key) const {
    for (const auto& p : pairs_) {
      if (p.Key == key) return &p.Value;
    }
    return nullptr;
  }
  int32 Remove(const K& key);
  void Reset();
  int32 Num() const { return pairs_.Num(); }
  ElementType* begin() { return pairs_.begin(); }
  ElementType* end() { return pairs_.end(); }
  const ElementType* begin() const { return pairs_.begin(); }
  const ElementType* end() const { return pairs_.end(); }

 private:
  TArray<ElementType> pairs_;
};

// --- Strings ---------------------------------------------------------------------------------

namespace ue_stand_in {

/// The kind of argument a printf conversion wants.
enum class ArgKind { Integer, Floating, TcharString, AnsiString, Pointer, Bad };

template <typename T>
constexpr ArgKind kindOf() {
  using U = std::remove_cv_t<T>;
  if constexpr (std::is_integral_v<U> || std::is_enum_v<U>) return ArgKind::Integer;
  else if constexpr (std::is_floating_point_v<U>) return ArgKind::Floating;
  else if constexpr (std::is_pointer_v<U>) {
    using P = std::remove_cv_t<std::remove_pointer_t<U>>;
    if constexpr (std::is_same_v<P, TCHAR>) return ArgKind::TcharString;
    else if constexpr (std::is_same_v<P, ANSICHAR>) return ArgKind::AnsiString;
    else return ArgKind::Pointer;
  } else {
    return ArgKind::Bad;  // a class (FString, FName, ...): never a printf argument
  }
}

/// A format literal checked against the argument types at compile time (as std::format does):
/// a mismatch makes the consteval constructor fail, naming no line of its own.
template <typename... Args>
struct FormatString {
  template <std::size_t N>
  consteval FormatString(const TCHAR (&format)[N]) : text(format) {  // NOLINT: implicit on purpose
    constexpr ArgKind kinds[sizeof...(Args) + 1] = {kindOf<Args>()..., ArgKind::Bad};
    std::size_t used = 0;
    for (std::size_t i = 0; i + 1 < N; ++i) {
      if (format[i] != u'%') continue;
      ++i;
      if (format[i] == u'%') continue;
      while (format[i] == u'-' || format[i] == u'+' || format[i] == u' ' || format[i] == u'#' || format[i] == u'0') ++i;
      while (format[i] >= u'0' && format[i] <= u'9') ++i;
      if (format[i] == u'.') {
        ++i;
        while (format[i] >= u'0' && format[i] <= u'9') ++i;
      }
      bool narrow = false;
      while (format[i] == u'l' || format[i] == u'h' || format[i] == u'z' || format[i] == u'j' || format[i] == u't') {
        narrow = narrow || format[i] == u'h';
        ++i;
      }
      if (used >= sizeof...(Args)) throw "format: more conversions than arguments";
      const ArgKind kind = kinds[used++];
      switch (format[i]) {
        case u'd': case u'i': case u'u': case u'x': case u'X': case u'o': case u'c':
          if (kind != ArgKind::Integer) throw "format: %d/%i/%u/%x/%c wants an integer";
          break;
        case u'f': case u'F': case u'g': case u'G': case u'e': case u'E':
          if (kind != ArgKind::Floating) throw "format: %f/%g/%e wants a floating-point number";
          break;
        case u's': case u'S':
          if (kind != (narrow ? ArgKind::AnsiString : ArgKind::TcharString)) throw "format: %s wants a TCHAR* (*Text), %hs a char*";
          break;
        case u'p':
          if (kind != ArgKind::Pointer && kind != ArgKind::TcharString && kind != ArgKind::AnsiString) throw "format: %p wants a pointer";
          break;
        default:
          throw "format: unknown conversion";
      }
    }
    if (used != sizeof...(Args)) throw "format: more arguments than conversions";
  }
  const TCHAR* text;
};

}  // namespace ue_stand_in

class FString {
 public:
  FString() = default;
  FString(const TCHAR* text) : text_(text ? text : u"") {}
  const TCHAR* operator*() const { return text_.c_str(); }
  bool IsEmpty() const { return text_.empty(); }
  int32 Len() const { return static_cast<int32>(text_.size()); }
  bool operator==(const FString& other) const { return text_ == other.text_; }
  bool operator!=(const FString& other) const { return text_ != other.text_; }
  friend bool operator==(const FString& a, const TCHAR* b) { return a.text_ == b; }
  friend bool operator!=(const FString& a, const TCHAR* b) { return a.text_ != b; }
  friend bool operator==(const TCHAR* a, const FString& b) { return b.text_ == a; }
  friend FString operator+(const FString& a, const FString& b) { return FString((a.text_ + b.text_).c_str()); }
  friend FString operator+(const TCHAR* a, const FString& b) { return FString(a) + b; }
  friend FString operator+(const FString& a, const TCHAR* b) { return a + FString(b); }

  /// printf-style formatting from a TEXT() literal, checked at compile time against the
  /// arguments like the engine's format-string check (UE 5.2+): %s wants a TCHAR* (pass *Text,
  /// never an FString), %d/%i/%u/%x an integer, %f/%g/%e a floating-point number.
  template <typename... Args>
  static FString Printf(ue_stand_in::FormatString<std::type_identity_t<Args>...> format, Args... args);

 private:
  std::u16string text_;
};

class FName {
 public:
  FName() = default;
  FName(const TCHAR* name) : name_(name) {}
  FString ToString() const { return name_; }
  /// In place, with no allocation (as the engine's NameTypes.h): the length written. The engine
  /// fails hard when the buffer is shorter than the name, and UE 5.6 deprecates buffers shorter
  /// than StringBufferSize: the stand-in rejects them at compile time.
  static constexpr uint32 StringBufferSize = 1024 + 1 + 10;
  template <uint32 N>
  uint32 ToString(TCHAR (&Out)[N]) const {
    static_assert(N >= StringBufferSize, "FName::ToString needs a buffer of FName::StringBufferSize");
    return ToStringInternal(Out, N);
  }
  bool IsNone() const { return name_.IsEmpty(); }

 private:
  uint32 ToStringInternal(TCHAR* Out, uint32 OutSize) const;

 public:
  bool operator==(const FName& other) const { return name_ == other.name_; }
  bool operator!=(const FName& other) const { return !(name_ == other.name_); }

 private:
  FString name_;
};

// Conversions between TCHAR and UTF-8 strings (temporaries, valid for the full expression).
namespace ue_stand_in {
const ANSICHAR* toUtf8(const TCHAR* text);
const TCHAR* fromUtf8(const ANSICHAR* text);
}  // namespace ue_stand_in
#define TCHAR_TO_UTF8(text) ue_stand_in::toUtf8(text)
#define UTF8_TO_TCHAR(text) ue_stand_in::fromUtf8(text)

// --- Smart pointers --------------------------------------------------------------------------

template <typename T>
class TUniquePtr {
 public:
  TUniquePtr() = default;
  TUniquePtr(std::nullptr_t) {}
  explicit TUniquePtr(T* p) : p_(p) {}
  template <typename U>
  TUniquePtr(TUniquePtr<U>&& other) : p_(other.Release()) {}
  TUniquePtr(TUniquePtr&&) = default;
  TUniquePtr& operator=(TUniquePtr&&) = default;
  T* Get() const { return p_.get(); }
  T* Release() { return p_.release(); }
  void Reset(T* p = nullptr) { p_.reset(p); }
  bool IsValid() const { return p_ != nullptr; }
  explicit operator bool() const { return p_ != nullptr; }
  T* operator->() const { return p_.get(); }
  T& operator*() const { return *p_; }

 private:
  std::unique_ptr<T> p_;
};

template <typename T, typename... Args>
TUniquePtr<T> MakeUnique(Args&&... args) {
  return TUniquePtr<T>(new T(static_cast<Args&&>(args)...));
}

template <typename T>
class TSharedRef;

template <typename T>
class TSharedPtr {
 public:
  TSharedPtr() = default;
  TSharedPtr(std::nullptr_t) {}
  TSharedPtr(const TSharedRef<T>& ref);
  bool IsValid() const { return p_ != nullptr; }
  T* Get() const { return p_.get(); }
  T* operator->() const { return p_.get(); }
  T& operator*() const { return *p_; }
  explicit operator bool() const { return p_ != nullptr; }

 private:
  template <typename U>
  friend class TSharedRef;
  std::shared_ptr<T> p_;
};

template <typename T>
class TSharedRef {
 public:
  explicit TSharedRef(std::shared_ptr<T> p) : p_(std::move(p)) {}
  T* operator->() const { return p_.get(); }
  T& operator*() const { return *p_; }
  T& Get() const { return *p_; }

 private:
  template <typename U>
  friend class TSharedPtr;
  std::shared_ptr<T> p_;
};

template <typename T>
TSharedPtr<T>::TSharedPtr(const TSharedRef<T>& ref) : p_(ref.p_) {}

template <typename T, typename... Args>
TSharedRef<T> MakeShared(Args&&... args) {
  return TSharedRef<T>(std::make_shared<T>(static_cast<Args&&>(args)...));
}

// --- Text, GUIDs, callables (CoreMinimal.h includes them in the engine too) ----------------

#include "Internationalization/Text.h"
#include "Misc/Guid.h"
#include "Templates/Function.h"

// --- Maths -----------------------------------------------------------------------------------

struct FMath {
  template <typename T>
  static constexpr T Clamp(T x, T lo, T hi) { return x < lo ? lo : (x > hi ? hi : x); }
  template <typename T>
  static constexpr T Min(T a, T b) { return a < b ? a : b; }
  template <typename T>
  static constexpr T Max(T a, T b) { return a > b ? a : b; }
  template <typename T, typename U>
  static constexpr T Lerp(const T& a, const T& b, const U& alpha) { return static_cast<T>(a + alpha * (b - a)); }
  static bool IsFinite(float x);
  static float Atan2(float y, float x);
  template <typename T>
  static constexpr T RadiansToDegrees(const T& radians) { return radians * static_cast<T>(57.2957795130823208768); }
};

namespace EAxis {
enum Type { None, X, Y, Z };
}

struct FVector {
  double X = 0.0, Y = 0.0, Z = 0.0;
  FVector() = default;
  FVector(double x, double y, double z) : X(x), Y(y), Z(z) {}
  FVector operator-(const FVector& o) const { return {X - o.X, Y - o.Y, Z - o.Z}; }
  FVector operator+(const FVector& o) const { return {X + o.X, Y + o.Y, Z + o.Z}; }
  double Size() const;
  static double Dist(const FVector& a, const FVector& b) { return (a - b).Size(); }
  static double DotProduct(const FVector& a, const FVector& b) { return a.X * b.X + a.Y * b.Y + a.Z * b.Z; }
};

struct FRotator {
  double Pitch = 0.0, Yaw = 0.0, Roll = 0.0;
  FVector Vector() const;
};

struct FRotationMatrix {
  explicit FRotationMatrix(const FRotator& rotation);
  FVector GetScaledAxis(EAxis::Type axis) const;
};

struct FColor {
  uint8 B = 0, G = 0, R = 0, A = 255;
  FColor() = default;
  FColor(uint8 InR, uint8 InG, uint8 InB, uint8 InA = 255) : B(InB), G(InG), R(InR), A(InA) {}
};

struct FMemory {
  static void* Memzero(void* dest, std::size_t count);
  static void* Memcpy(void* dest, const void* src, std::size_t count);
};

// --- Logging ---------------------------------------------------------------------------------

namespace ELogVerbosity {
enum Type : uint8 { NoLogging, Fatal, Error, Warning, Display, Log, Verbose, VeryVerbose, All };
}

struct FLogCategoryBase {
  explicit FLogCategoryBase(const TCHAR* name) : Name(name) {}
  const TCHAR* Name;
};

#define DEFINE_LOG_CATEGORY_STATIC(CategoryName, DefaultVerbosity, CompileTimeVerbosity)                        \
  static_assert(ELogVerbosity::DefaultVerbosity <= ELogVerbosity::CompileTimeVerbosity, "verbosity");          \
  static FLogCategoryBase CategoryName(TEXT(#CategoryName))
#define DECLARE_LOG_CATEGORY_EXTERN(CategoryName, DefaultVerbosity, CompileTimeVerbosity) \
  extern FLogCategoryBase CategoryName
#define DEFINE_LOG_CATEGORY(CategoryName) FLogCategoryBase CategoryName(TEXT(#CategoryName))
#define UE_LOG(CategoryName, Verbosity, Format, ...)                        \
  do {                                                                      \
    static_assert(ELogVerbosity::Verbosity != ELogVerbosity::NoLogging, ""); \
    (void)static_cast<const FLogCategoryBase&>(CategoryName);               \
    (void)FString::Printf(Format, ##__VA_ARGS__);                           \
  } while (false)

// --- Delegates -------------------------------------------------------------------------------

#define DECLARE_DYNAMIC_MULTICAST_DELEGATE(Name) \
  struct Name {                                  \
    void Broadcast() const {}                    \
  }
#define DECLARE_DYNAMIC_MULTICAST_DELEGATE_OneParam(Name, T1, N1) \
  struct Name {                                                   \
    void Broadcast(T1) const {}                                   \
  }
#define DECLARE_DYNAMIC_MULTICAST_DELEGATE_TwoParams(Name, T1, N1, T2, N2) \
  struct Name {                                                            \
    void Broadcast(T1, T2) const {}                                        \
  }
#define DECLARE_DYNAMIC_MULTICAST_DELEGATE_ThreeParams(Name, T1, N1, T2, N2, T3, N3) \
  struct Name {                                                                      \
    void Broadcast(T1, T2, T3) const {}                                              \
  }

// --- Objects ---------------------------------------------------------------------------------

class UWorld;
class UClass;
struct FPropertyChangedEvent;  // UObject/UnrealType.h; glue only passes it on to Super

class FObjectInitializer {
 public:
  FObjectInitializer();
};

/// UObject. `Super` is the stand-in for what GENERATED_BODY() declares: every stand-in base names
/// itself, so a class derived from it finds its direct base as Super.
class UObject {
 public:
  using Super = UObject;
  UObject();
  explicit UObject(const FObjectInitializer& initializer);
  virtual ~UObject();
  FString GetName() const;
  FString GetPathName(const UObject* StopOuter = nullptr) const;
  virtual UWorld* GetWorld() const;
  /// After the object's properties were loaded (game thread, unless the class opts in to async).
  virtual void PostLoad();
  /// Runs PostLoad now if it has not run yet (for an object another one's PostLoad reads).
  void ConditionalPostLoad();
#if WITH_EDITOR
  virtual void PostEditChangeProperty(FPropertyChangedEvent& PropertyChangedEvent);
#endif
};

template <typename T>
class TObjectPtr {
 public:
  TObjectPtr() = default;
  TObjectPtr(std::nullptr_t) {}
  TObjectPtr(T* object) : object_(object) {}
  TObjectPtr& operator=(T* object) {
    object_ = object;
    return *this;
  }
  TObjectPtr& operator=(std::nullptr_t) {
    object_ = nullptr;
    return *this;
  }
  T* Get() const { return object_; }
  operator T*() const { return object_; }
  T* operator->() const { return object_; }
  T& operator*() const { return *object_; }
  explicit operator bool() const { return object_ != nullptr; }

 private:
  T* object_ = nullptr;
};

template <typename T>
const T* GetDefault();

enum ELevelTick { LEVELTICK_TimeOnly = 0, LEVELTICK_ViewportsOnly = 1, LEVELTICK_All = 2, LEVELTICK_PauseTick = 3 };

struct FTickFunction {
  uint8 bCanEverTick : 1;
  uint8 bStartWithTickEnabled : 1;
};
struct FActorComponentTickFunction : FTickFunction {};

class UActorComponent : public UObject {
 public:
  using Super = UActorComponent;
  UActorComponent();
  explicit UActorComponent(const FObjectInitializer& initializer);
  virtual void TickComponent(float DeltaTime, ELevelTick TickType, FActorComponentTickFunction* ThisTickFunction);
  FActorComponentTickFunction PrimaryComponentTick;
};

class USceneComponent : public UActorComponent {
 public:
  using Super = USceneComponent;
  USceneComponent();
  explicit USceneComponent(const FObjectInitializer& initializer);
  FVector GetComponentLocation() const;
};
