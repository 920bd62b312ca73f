// Stand-in (see CoreMinimal.h): Core/Public/Templates/Function.h (move-only and copyable callables).
#pragma once

#include <functional>

template <typename Signature>
class TUniqueFunction;

template <typename R, typename... Args>
class TUniqueFunction<R(Args...)> {
 public:
  TUniqueFunction() = default;
  template <typename F, typename = std::enable_if_t<std::is_invocable_r_v<R, F&, Args...>>>
  TUniqueFunction(F&& f) : f_(std::forward<F>(f)) {}  // NOLINT: implicit, as the engine's
  R operator()(Args... args) const { return f_(std::forward<Args>(args)...); }

 private:
  std::function<R(Args...)> f_;
};

template <typename Signature>
using TFunction = TUniqueFunction<Signature>;
