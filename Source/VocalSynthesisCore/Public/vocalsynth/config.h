// One header that adapts the core to the build that includes it (CMake or Unreal Build Tool).
// The core never includes an engine header, never throws and never uses RTTI.
#pragma once

#include <cstddef>
#include <cstdint>

#if defined(_MSC_VER)
#define VOCALSYNTH_FORCE_INLINE __forceinline
#else
#define VOCALSYNTH_FORCE_INLINE inline __attribute__((always_inline))
#endif

#if defined(__x86_64__) || defined(_M_X64) || defined(__i386__) || defined(_M_IX86)
#define VOCALSYNTH_X86 1
#elif defined(__aarch64__) || defined(_M_ARM64)
#define VOCALSYNTH_ARM64 1
#endif

namespace vocalsynth {

/// Engine version baked into caches and reports; bump when the sound of any preset changes.
inline constexpr const char* kEngineVersion = "0.9.6";

inline constexpr double kMinSampleRateHz = 16000.0;
inline constexpr double kMaxSampleRateHz = 96000.0;

}  // namespace vocalsynth
