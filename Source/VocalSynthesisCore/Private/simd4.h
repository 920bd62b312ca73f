// Four float lanes (and two double lanes) for the voice chain's hot loops (FIRs, correlations,
// spectra, the all-pole synthesis filter): SSE2 on x86-64 and NEON on ARM64 (both are the baseline of their
// architectures, so no dispatch is needed), plain C++ elsewhere (or when VOCALSYNTH_SIMD4_PORTABLE is defined). Only
// exact IEEE operations (no FMA, no estimates), so every build computes lane-wise the same values; reductions use one
// fixed order.
#pragma once

#include <cstdint>
#include <cstring>

#include "vocalsynth/config.h"
#include "vocalsynth/dsp_math.h"

// The chain's guarantees (block-size independence, the same bits on every platform) need exact
// IEEE arithmetic in the files that include this header: a fast floating-point model breaks them
// silently, so it is refused here (UBT: VocalSynthesisCore.Build.cs sets FPSemanticsMode.Precise).
// CMake's VOCALSYNTH_CORE_FAST_MATH check build allows it on purpose.
#if (defined(__FAST_MATH__) || defined(_M_FP_FAST)) && !defined(VOCALSYNTH_ALLOW_FAST_MATH)
#error "VocalSynthesis core: built with a fast floating-point model (-ffast-math, /fp:fast); it needs precise semantics"
#endif

#if defined(VOCALSYNTH_SIMD4_PORTABLE)
// The plain C++ lanes forced (CMake -DVOCALSYNTH_PORTABLE_SIMD=ON): tools/run_tests.sh checks
// that this build computes the same bits as the vector one.
#elif defined(VOCALSYNTH_X86) && (defined(__SSE2__) || defined(_M_X64))
#include <emmintrin.h>
#define VOCALSYNTH_SIMD4_SSE2 1
#elif defined(VOCALSYNTH_ARM64) && (defined(__ARM_NEON) || defined(_M_ARM64))
#include <arm_neon.h>
#define VOCALSYNTH_SIMD4_NEON 1
#endif

namespace vocalsynth::simd4 {

#if defined(VOCALSYNTH_SIMD4_SSE2)
struct F4 {
  __m128 v;
};
VOCALSYNTH_FORCE_INLINE F4 load(const float* p) noexcept { return {_mm_loadu_ps(p)}; }
VOCALSYNTH_FORCE_INLINE void store(float* p, F4 a) noexcept { _mm_storeu_ps(p, a.v); }
VOCALSYNTH_FORCE_INLINE F4 splat(float x) noexcept { return {_mm_set1_ps(x)}; }
VOCALSYNTH_FORCE_INLINE F4 zero() noexcept { return {_mm_setzero_ps()}; }
VOCALSYNTH_FORCE_INLINE F4 operator+(F4 a, F4 b) noexcept { return {_mm_add_ps(a.v, b.v)}; }
VOCALSYNTH_FORCE_INLINE F4 operator-(F4 a, F4 b) noexcept { return {_mm_sub_ps(a.v, b.v)}; }
VOCALSYNTH_FORCE_INLINE F4 operator*(F4 a, F4 b) noexcept { return {_mm_mul_ps(a.v, b.v)}; }
VOCALSYNTH_FORCE_INLINE F4 vmax(F4 a, F4 b) noexcept { return {_mm_max_ps(a.v, b.v)}; }
VOCALSYNTH_FORCE_INLINE F4 vabs(F4 a) noexcept { return {_mm_andnot_ps(_mm_set1_ps(-0.0f), a.v)}; }
/// (a0 + a2) + (a1 + a3)
VOCALSYNTH_FORCE_INLINE float hsum(F4 a) noexcept {
  const __m128 pairs = _mm_add_ps(a.v, _mm_movehl_ps(a.v, a.v));  // a0+a2, a1+a3
  return _mm_cvtss_f32(_mm_add_ss(pairs, _mm_shuffle_ps(pairs, pairs, 1)));
}
VOCALSYNTH_FORCE_INLINE float hmax(F4 a) noexcept {
  const __m128 pairs = _mm_max_ps(a.v, _mm_movehl_ps(a.v, a.v));
  return _mm_cvtss_f32(_mm_max_ss(pairs, _mm_shuffle_ps(pairs, pairs, 1)));
}
struct D2 {
  __m128d v;
};
VOCALSYNTH_FORCE_INLINE D2 load(const double* p) noexcept { return {_mm_loadu_pd(p)}; }
VOCALSYNTH_FORCE_INLINE D2 zeroD() noexcept { return {_mm_setzero_pd()}; }
VOCALSYNTH_FORCE_INLINE D2 operator+(D2 a, D2 b) noexcept { return {_mm_add_pd(a.v, b.v)}; }
VOCALSYNTH_FORCE_INLINE D2 operator*(D2 a, D2 b) noexcept { return {_mm_mul_pd(a.v, b.v)}; }
VOCALSYNTH_FORCE_INLINE double hsum(D2 a) noexcept { return _mm_cvtsd_f64(_mm_add_sd(a.v, _mm_unpackhi_pd(a.v, a.v))); }
VOCALSYNTH_FORCE_INLINE void store(double* p, D2 a) noexcept { _mm_storeu_pd(p, a.v); }
VOCALSYNTH_FORCE_INLINE D2 splatD(double x) noexcept { return {_mm_set1_pd(x)}; }
VOCALSYNTH_FORCE_INLINE D2 reverse(D2 a) noexcept { return {_mm_shuffle_pd(a.v, a.v, 1)}; }
#elif defined(VOCALSYNTH_SIMD4_NEON)
struct F4 {
  float32x4_t v;
};
VOCALSYNTH_FORCE_INLINE F4 load(const float* p) noexcept { return {vld1q_f32(p)}; }
VOCALSYNTH_FORCE_INLINE void store(float* p, F4 a) noexcept { vst1q_f32(p, a.v); }
VOCALSYNTH_FORCE_INLINE F4 splat(float x) noexcept { return {vdupq_n_f32(x)}; }
VOCALSYNTH_FORCE_INLINE F4 zero() noexcept { return {vdupq_n_f32(0.0f)}; }
VOCALSYNTH_FORCE_INLINE F4 operator+(F4 a, F4 b) noexcept { return {vaddq_f32(a.v, b.v)}; }
VOCALSYNTH_FORCE_INLINE F4 operator-(F4 a, F4 b) noexcept { return {vsubq_f32(a.v, b.v)}; }
VOCALSYNTH_FORCE_INLINE F4 operator*(F4 a, F4 b) noexcept { return {vmulq_f32(a.v, b.v)}; }
VOCALSYNTH_FORCE_INLINE F4 vmax(F4 a, F4 b) noexcept { return {vmaxq_f32(a.v, b.v)}; }
VOCALSYNTH_FORCE_INLINE F4 vabs(F4 a) noexcept { return {vabsq_f32(a.v)}; }
VOCALSYNTH_FORCE_INLINE float hsum(F4 a) noexcept {
  return (vgetq_lane_f32(a.v, 0) + vgetq_lane_f32(a.v, 2)) + (vgetq_lane_f32(a.v, 1) + vgetq_lane_f32(a.v, 3));
}
VOCALSYNTH_FORCE_INLINE float hmax(F4 a) noexcept { return vmaxvq_f32(a.v); }
struct D2 {
  float64x2_t v;
};
VOCALSYNTH_FORCE_INLINE D2 load(const double* p) noexcept { return {vld1q_f64(p)}; }
VOCALSYNTH_FORCE_INLINE D2 zeroD() noexcept { return {vdupq_n_f64(0.0)}; }
VOCALSYNTH_FORCE_INLINE D2 operator+(D2 a, D2 b) noexcept { return {vaddq_f64(a.v, b.v)}; }
VOCALSYNTH_FORCE_INLINE D2 operator*(D2 a, D2 b) noexcept { return {vmulq_f64(a.v, b.v)}; }
VOCALSYNTH_FORCE_INLINE double hsum(D2 a) noexcept { return vgetq_lane_f64(a.v, 0) + vgetq_lane_f64(a.v, 1); }
VOCALSYNTH_FORCE_INLINE void store(double* p, D2 a) noexcept { vst1q_f64(p, a.v); }
VOCALSYNTH_FORCE_INLINE D2 splatD(double x) noexcept { return {vdupq_n_f64(x)}; }
VOCALSYNTH_FORCE_INLINE D2 reverse(D2 a) noexcept { return {vextq_f64(a.v, a.v, 1)}; }
#else
struct F4 {
  float v[4];
};
VOCALSYNTH_FORCE_INLINE F4 load(const float* p) noexcept { return {{p[0], p[1], p[2], p[3]}}; }
VOCALSYNTH_FORCE_INLINE void store(float* p, F4 a) noexcept {
  for (int i = 0; i < 4; ++i) p[i] = a.v[i];
}
VOCALSYNTH_FORCE_INLINE F4 splat(float x) noexcept { return {{x, x, x, x}}; }
VOCALSYNTH_FORCE_INLINE F4 zero() noexcept { return splat(0.0f); }
VOCALSYNTH_FORCE_INLINE F4 operator+(F4 a, F4 b) noexcept {
  return {{a.v[0] + b.v[0], a.v[1] + b.v[1], a.v[2] + b.v[2], a.v[3] + b.v[3]}};
}
VOCALSYNTH_FORCE_INLINE F4 operator-(F4 a, F4 b) noexcept {
  return {{a.v[0] - b.v[0], a.v[1] - b.v[1], a.v[2] - b.v[2], a.v[3] - b.v[3]}};
}
VOCALSYNTH_FORCE_INLINE F4 operator*(F4 a, F4 b) noexcept {
  return {{a.v[0] * b.v[0], a.v[1] * b.v[1], a.v[2] * b.v[2], a.v[3] * b.v[3]}};
}
VOCALSYNTH_FORCE_INLINE F4 vmax(F4 a, F4 b) noexcept {
  F4 r;
  for (int i = 0; i < 4; ++i) r.v[i] = a.v[i] > b.v[i] ? a.v[i] : b.v[i];
  return r;
}
VOCALSYNTH_FORCE_INLINE F4 vabs(F4 a) noexcept {
  F4 r;
  for (int i = 0; i < 4; ++i) r.v[i] = a.v[i] < 0.0f ? -a.v[i] : a.v[i];
  return r;
}
VOCALSYNTH_FORCE_INLINE float hsum(F4 a) noexcept { return (a.v[0] + a.v[2]) + (a.v[1] + a.v[3]); }
VOCALSYNTH_FORCE_INLINE float hmax(F4 a) noexcept {
  const float x = a.v[0] > a.v[2] ? a.v[0] : a.v[2];
  const float y = a.v[1] > a.v[3] ? a.v[1] : a.v[3];
  return x > y ? x : y;
}
struct D2 {
  double v[2];
};
VOCALSYNTH_FORCE_INLINE D2 load(const double* p) noexcept { return {{p[0], p[1]}}; }
VOCALSYNTH_FORCE_INLINE D2 zeroD() noexcept { return {{0.0, 0.0}}; }
VOCALSYNTH_FORCE_INLINE D2 operator+(D2 a, D2 b) noexcept { return {{a.v[0] + b.v[0], a.v[1] + b.v[1]}}; }
VOCALSYNTH_FORCE_INLINE D2 operator*(D2 a, D2 b) noexcept { return {{a.v[0] * b.v[0], a.v[1] * b.v[1]}}; }
VOCALSYNTH_FORCE_INLINE double hsum(D2 a) noexcept { return a.v[0] + a.v[1]; }
VOCALSYNTH_FORCE_INLINE void store(double* p, D2 a) noexcept {
  p[0] = a.v[0];
  p[1] = a.v[1];
}
VOCALSYNTH_FORCE_INLINE D2 splatD(double x) noexcept { return {{x, x}}; }
VOCALSYNTH_FORCE_INLINE D2 reverse(D2 a) noexcept { return {{a.v[1], a.v[0]}}; }
#endif

/// Copies n floats between buffers that do not overlap, inline: the chain copies a piece (a few
/// dozen samples) at a time, where memcpy's call and size dispatch cost more than the copy.
VOCALSYNTH_FORCE_INLINE void copy(float* dst, const float* src, int n) noexcept {
  int k = 0;
  for (; k + 4 <= n; k += 4) store(dst + k, load(src + k));
  for (; k < n; ++k) dst[k] = src[k];
}

/// Dot product of n doubles, n a multiple of 4 (pad with zeros): two vector accumulators.
VOCALSYNTH_FORCE_INLINE double dot4(const double* a, const double* b, int n) noexcept {
  D2 acc0 = zeroD(), acc1 = zeroD();
  for (int i = 0; i < n; i += 4) {
    acc0 = acc0 + load(a + i) * load(b + i);
    acc1 = acc1 + load(a + i + 2) * load(b + i + 2);
  }
  return hsum(acc0 + acc1);
}

/// Dot product of n floats, n a multiple of 4 (pad with zeros): no scalar tail.
VOCALSYNTH_FORCE_INLINE float dot4(const float* a, const float* b, int n) noexcept {
  F4 acc0 = zero(), acc1 = zero();
  int i = 0;
  for (; i + 8 <= n; i += 8) {
    acc0 = acc0 + load(a + i) * load(b + i);
    acc1 = acc1 + load(a + i + 4) * load(b + i + 4);
  }
  if (i < n) acc0 = acc0 + load(a + i) * load(b + i);
  return hsum(acc0 + acc1);
}

/// Dot product of any n floats: dot4 over the whole vectors, then a scalar tail (fixed order).
VOCALSYNTH_FORCE_INLINE float dot(const float* a, const float* b, int n) noexcept {
  const int whole = n & ~3;
  float tail = 0.0f;
  for (int i = whole; i < n; ++i) tail += a[i] * b[i];
  return dot4(a, b, whole) + tail;
}

/// True when all n floats are finite, judged on the bits (an all-ones exponent is Inf or NaN), so
/// no floating-point model (fast-math included) can optimise the test away.
VOCALSYNTH_FORCE_INLINE bool allFinite(const float* x, int n) noexcept {
  [[maybe_unused]] constexpr std::uint32_t kExponent = 0x7F800000u;  // the vector paths' mask
  int i = 0;
  bool bad = false;
#if defined(VOCALSYNTH_SIMD4_SSE2)
  const __m128i exponent = _mm_set1_epi32(static_cast<int>(kExponent));
  __m128i flags = _mm_setzero_si128();
  for (; i + 4 <= n; i += 4) {
    const __m128i bits = _mm_and_si128(_mm_castps_si128(_mm_loadu_ps(x + i)), exponent);
    flags = _mm_or_si128(flags, _mm_cmpeq_epi32(bits, exponent));
  }
  bad = _mm_movemask_epi8(flags) != 0;
#elif defined(VOCALSYNTH_SIMD4_NEON)
  const uint32x4_t exponent = vdupq_n_u32(kExponent);
  uint32x4_t flags = vdupq_n_u32(0);
  for (; i + 4 <= n; i += 4) {
    flags = vorrq_u32(flags, vceqq_u32(vandq_u32(vreinterpretq_u32_f32(vld1q_f32(x + i)), exponent), exponent));
  }
  bad = vmaxvq_u32(flags) != 0;
#endif
  for (; i < n; ++i) bad = bad || !isFinite(x[i]);
  return !bad;
}

/// True when every x[i] is zero or a normal float with |x[i]| <= limit (limit >= 0, finite),
/// judged on the bits like allFinite: for floats of one sign the bit patterns sort as the values,
/// Inf and NaN sort above every finite value, and subnormals (a zero exponent) below FLT_MIN.
VOCALSYNTH_FORCE_INLINE bool allNormalWithin(const float* x, int n, float limit) noexcept {
  std::uint32_t limitBits;
  std::memcpy(&limitBits, &limit, sizeof limitBits);
  [[maybe_unused]] constexpr std::uint32_t kMagnitude = 0x7FFFFFFFu, kSmallestNormal = 0x00800000u;
  int i = 0;
  bool bad = false;
#if defined(VOCALSYNTH_SIMD4_SSE2)
  const __m128i magnitude = _mm_set1_epi32(static_cast<int>(kMagnitude));
  const __m128i bound = _mm_set1_epi32(static_cast<int>(limitBits));
  const __m128i normal = _mm_set1_epi32(static_cast<int>(kSmallestNormal));
  const __m128i zero = _mm_setzero_si128();
  __m128i flags = _mm_setzero_si128();
  for (; i + 4 <= n; i += 4) {
    const __m128i bits = _mm_and_si128(_mm_castps_si128(_mm_loadu_ps(x + i)), magnitude);
    flags = _mm_or_si128(flags, _mm_cmpgt_epi32(bits, bound));  // both below 2^31: signed is exact
    flags = _mm_or_si128(flags, _mm_andnot_si128(_mm_cmpeq_epi32(bits, zero), _mm_cmplt_epi32(bits, normal)));
  }
  bad = _mm_movemask_epi8(flags) != 0;
#elif defined(VOCALSYNTH_SIMD4_NEON)
  const uint32x4_t magnitude = vdupq_n_u32(kMagnitude);
  const uint32x4_t bound = vdupq_n_u32(limitBits);
  const uint32x4_t normal = vdupq_n_u32(kSmallestNormal);
  uint32x4_t flags = vdupq_n_u32(0);
  for (; i + 4 <= n; i += 4) {
    const uint32x4_t bits = vandq_u32(vreinterpretq_u32_f32(vld1q_f32(x + i)), magnitude);
    flags = vorrq_u32(flags, vcgtq_u32(bits, bound));
    flags = vorrq_u32(flags, vandq_u32(vtstq_u32(bits, bits), vcltq_u32(bits, normal)));
  }
  bad = vmaxvq_u32(flags) != 0;
#endif
  for (; i < n; ++i) {
    std::uint32_t bits;
    std::memcpy(&bits, x + i, sizeof bits);
    bad = bad || (bits & 0x7FFFFFFFu) > limitBits || isSubnormal(x[i]);
  }
  return !bad;
}

/// Largest |x| over n samples.
VOCALSYNTH_FORCE_INLINE float absMax(const float* x, int n) noexcept {
  F4 m = zero();
  int i = 0;
  for (; i + 4 <= n; i += 4) m = vmax(m, vabs(load(x + i)));
  float largest = hmax(m);
  for (; i < n; ++i) {
    const float a = x[i] < 0.0f ? -x[i] : x[i];
    largest = a > largest ? a : largest;
  }
  return largest;
}

}  // namespace vocalsynth::simd4
