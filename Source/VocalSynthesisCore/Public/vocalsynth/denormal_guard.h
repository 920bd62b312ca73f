// Flush denormals to zero for the lifetime of the guard (FTZ/DAZ on x86 SSE, FZ on ARM64, with
// GCC/Clang inline assembly or MSVC's status-register intrinsics). Besides speed, the same
// flushing everywhere is part of the chain computing the same bits on every platform.
// Decaying filter states otherwise fall into denormal range and cost 10-100x per operation.
// The previous mode is restored on exit, so the host's thread state is left as it was.
#pragma once

#include <cstdint>

#include "vocalsynth/config.h"

#if defined(VOCALSYNTH_X86)
#include <xmmintrin.h>
#elif defined(VOCALSYNTH_ARM64) && defined(_MSC_VER) && !defined(__clang__)
#include <intrin.h>  // MSVC has no inline assembly on ARM64: _ReadStatusReg / _WriteStatusReg(ARM64_FPCR)
#define VOCALSYNTH_FPCR_MSVC 1
#endif

namespace vocalsynth {

class ScopedDenormalGuard {
 public:
  ScopedDenormalGuard() noexcept {
#if defined(VOCALSYNTH_X86)
    const unsigned csr = _mm_getcsr();
    saved_ = csr;
    _mm_setcsr(csr | 0x8040u);  // FTZ (bit 15) | DAZ (bit 6)
#elif defined(VOCALSYNTH_ARM64) && (defined(__GNUC__) || defined(__clang__))
    std::uint64_t fpcr;
    __asm__ __volatile__("mrs %0, fpcr" : "=r"(fpcr));
    saved_ = fpcr;
    fpcr |= (1ull << 24);  // FZ
    __asm__ __volatile__("msr fpcr, %0" : : "r"(fpcr));
#elif defined(VOCALSYNTH_FPCR_MSVC)
    saved_ = static_cast<std::uint64_t>(_ReadStatusReg(ARM64_FPCR));
    _WriteStatusReg(ARM64_FPCR, static_cast<__int64>(saved_ | (1ull << 24)));  // FZ
#endif
  }
  ~ScopedDenormalGuard() {
#if defined(VOCALSYNTH_X86)
    _mm_setcsr(static_cast<unsigned>(saved_));
#elif defined(VOCALSYNTH_ARM64) && (defined(__GNUC__) || defined(__clang__))
    __asm__ __volatile__("msr fpcr, %0" : : "r"(saved_));
#elif defined(VOCALSYNTH_FPCR_MSVC)
    _WriteStatusReg(ARM64_FPCR, static_cast<__int64>(saved_));
#endif
  }
  ScopedDenormalGuard(const ScopedDenormalGuard&) = delete;
  ScopedDenormalGuard& operator=(const ScopedDenormalGuard&) = delete;

  /// True when the current thread flushes denormals (used by tests).
  static bool flushingEnabled() noexcept {
#if defined(VOCALSYNTH_X86)
    return (_mm_getcsr() & 0x8040u) == 0x8040u;
#elif defined(VOCALSYNTH_ARM64) && (defined(__GNUC__) || defined(__clang__))
    std::uint64_t fpcr;
    __asm__ __volatile__("mrs %0, fpcr" : "=r"(fpcr));
    return (fpcr & (1ull << 24)) != 0;
#elif defined(VOCALSYNTH_FPCR_MSVC)
    return (static_cast<std::uint64_t>(_ReadStatusReg(ARM64_FPCR)) & (1ull << 24)) != 0;
#else
    return false;
#endif
  }

 private:
  std::uint64_t saved_ = 0;
};

}  // namespace vocalsynth
