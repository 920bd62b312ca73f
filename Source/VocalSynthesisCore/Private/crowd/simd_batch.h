// Lane batches for the crowd kernels: one type per instruction set with the same small API,
// so crowd_kernels.inl is written once and compiled once per instruction set (see the
// kernels_*.cpp files). Each namespace is only defined where the compiler targets that ISA,
// which keeps every instantiation behind its own name (no ODR mixing of AVX2 and SSE2 code).
//
//   F  : W floats          U : W uint32 (noise state)          M : W-lane mask
//   splat, load, store, +, -, *, /, vmin, vmax, ge, lt, select, any,
//   loadU, storeU, selectU, xorshift, bipolar (-1..1), unit (0..1)
//
// Only exact IEEE operations are used (no reciprocal estimates, no FMA: the kernel files are
// compiled with -ffp-contract=off), so every lane computes the same bits in every path;
// only the order of the final bus sums differs between widths.
//
// A wider ISA than the build targets: Unreal Build Tool compiles x86-64 for SSE only and sets no
// per-file flags, so kernels_avx2.cpp and kernels_avx512.cpp define VOCALSYNTH_WANT_AVX2 /
// VOCALSYNTH_WANT_AVX512 before including this header; under GCC and Clang the namespace is then
// compiled for that ISA by a target pragma (VOCALSYNTH_AVX2_BY_PRAGMA says so), the same
// instructions -mavx2 gives. Only those files ask, and the engine calls their kernels only on a CPU
// that has the ISA (crowd_engine.cpp). MSVC needs /arch:AVX2 (UE: MinCpuArchX64) for the AVX2 path.
#pragma once

#include <cstdint>
#include <cstring>

#include "vocalsynth/config.h"

#if defined(VOCALSYNTH_X86)
#include <immintrin.h>
#endif
#if defined(VOCALSYNTH_X86) && !defined(_MSC_VER) && defined(__clang__)
#define VOCALSYNTH_ISA_BEGIN_AVX2 \
  _Pragma("clang attribute push(__attribute__((target(\"avx2\"))), apply_to = function)")
#define VOCALSYNTH_ISA_BEGIN_AVX512 \
  _Pragma("clang attribute push(__attribute__((target(\"avx512f\"))), apply_to = function)")
#define VOCALSYNTH_ISA_END _Pragma("clang attribute pop")
#elif defined(VOCALSYNTH_X86) && !defined(_MSC_VER) && defined(__GNUC__)
#define VOCALSYNTH_ISA_BEGIN_AVX2 _Pragma("GCC push_options") _Pragma("GCC target(\"avx2\")")
#define VOCALSYNTH_ISA_BEGIN_AVX512 _Pragma("GCC push_options") _Pragma("GCC target(\"avx512f\")")
#define VOCALSYNTH_ISA_END _Pragma("GCC pop_options")
#endif
#if defined(VOCALSYNTH_X86) && !defined(__AVX2__) && defined(VOCALSYNTH_WANT_AVX2) && defined(VOCALSYNTH_ISA_END)
#define VOCALSYNTH_AVX2_BY_PRAGMA 1
#endif
#if defined(VOCALSYNTH_X86) && !defined(__AVX512F__) && defined(VOCALSYNTH_WANT_AVX512) && defined(VOCALSYNTH_ISA_END)
#define VOCALSYNTH_AVX512_BY_PRAGMA 1
#endif
#if defined(VOCALSYNTH_X86) && (defined(__AVX2__) || defined(VOCALSYNTH_AVX2_BY_PRAGMA))
#define VOCALSYNTH_SIMD_AVX2 1
#endif
#if defined(VOCALSYNTH_X86) && (defined(__AVX512F__) || defined(VOCALSYNTH_AVX512_BY_PRAGMA))
#define VOCALSYNTH_SIMD_AVX512 1
#endif
// The AVX2 / AVX-512 code's region: the target pragma where it comes by pragma, else nothing.
#if defined(VOCALSYNTH_AVX2_BY_PRAGMA)
#define VOCALSYNTH_AVX2_BEGIN VOCALSYNTH_ISA_BEGIN_AVX2
#define VOCALSYNTH_AVX2_END VOCALSYNTH_ISA_END
#else
#define VOCALSYNTH_AVX2_BEGIN
#define VOCALSYNTH_AVX2_END
#endif
#if defined(VOCALSYNTH_AVX512_BY_PRAGMA)
#define VOCALSYNTH_AVX512_BEGIN VOCALSYNTH_ISA_BEGIN_AVX512
#define VOCALSYNTH_AVX512_END VOCALSYNTH_ISA_END
#else
#define VOCALSYNTH_AVX512_BEGIN
#define VOCALSYNTH_AVX512_END
#endif
#if defined(VOCALSYNTH_ARM64) && (defined(__ARM_NEON) || defined(_M_ARM64))
#include <arm_neon.h>
#endif

namespace vocalsynth::simd {

// xorshift32 (Marsaglia 2003): shifts and xors only, so every ISA (SSE2 included) runs it.
// Noise floats are built from the top 23 bits: [1, 2) by exponent trick, then shifted.

namespace scalar {
inline constexpr int kWidth = 1;
using F = float;
using U = std::uint32_t;
using M = bool;
VOCALSYNTH_FORCE_INLINE F splat(float v) { return v; }
VOCALSYNTH_FORCE_INLINE F load(const float* p) { return *p; }
VOCALSYNTH_FORCE_INLINE void store(float* p, F v) { *p = v; }
VOCALSYNTH_FORCE_INLINE F vmin(F a, F b) { return b < a ? b : a; }
VOCALSYNTH_FORCE_INLINE F vmax(F a, F b) { return a < b ? b : a; }
VOCALSYNTH_FORCE_INLINE M ge(F a, F b) { return a >= b; }
VOCALSYNTH_FORCE_INLINE M lt(F a, F b) { return a < b; }
VOCALSYNTH_FORCE_INLINE F select(M m, F t, F f) { return m ? t : f; }
VOCALSYNTH_FORCE_INLINE bool any(M m) { return m; }
VOCALSYNTH_FORCE_INLINE U loadU(const std::uint32_t* p) { return *p; }
VOCALSYNTH_FORCE_INLINE void storeU(std::uint32_t* p, U v) { *p = v; }
VOCALSYNTH_FORCE_INLINE U selectU(M m, U t, U f) { return m ? t : f; }
VOCALSYNTH_FORCE_INLINE U xorshift(U x) {
  x ^= x << 13;
  x ^= x >> 17;
  x ^= x << 5;
  return x;
}
VOCALSYNTH_FORCE_INLINE F oneToTwo(U x) {
  const std::uint32_t bits = (x >> 9) | 0x3F800000u;
  float f;
  std::memcpy(&f, &bits, sizeof f);
  return f;
}
VOCALSYNTH_FORCE_INLINE F bipolar(U x) { return oneToTwo(x) * 2.0f - 3.0f; }
VOCALSYNTH_FORCE_INLINE F unit(U x) { return oneToTwo(x) - 1.0f; }
}  // namespace scalar

#if defined(VOCALSYNTH_X86) && (defined(__SSE2__) || defined(_M_X64))
namespace sse2 {
inline constexpr int kWidth = 4;
struct F {
  __m128 v;
};
struct U {
  __m128i v;
};
struct M {
  __m128 v;
};
VOCALSYNTH_FORCE_INLINE F splat(float v) { return {_mm_set1_ps(v)}; }
VOCALSYNTH_FORCE_INLINE F load(const float* p) { return {_mm_load_ps(p)}; }
VOCALSYNTH_FORCE_INLINE void store(float* p, F v) { _mm_store_ps(p, v.v); }
VOCALSYNTH_FORCE_INLINE F operator+(F a, F b) { return {_mm_add_ps(a.v, b.v)}; }
VOCALSYNTH_FORCE_INLINE F operator-(F a, F b) { return {_mm_sub_ps(a.v, b.v)}; }
VOCALSYNTH_FORCE_INLINE F operator*(F a, F b) { return {_mm_mul_ps(a.v, b.v)}; }
VOCALSYNTH_FORCE_INLINE F operator/(F a, F b) { return {_mm_div_ps(a.v, b.v)}; }
VOCALSYNTH_FORCE_INLINE F vmin(F a, F b) { return {_mm_min_ps(a.v, b.v)}; }
VOCALSYNTH_FORCE_INLINE F vmax(F a, F b) { return {_mm_max_ps(a.v, b.v)}; }
VOCALSYNTH_FORCE_INLINE M ge(F a, F b) { return {_mm_cmpge_ps(a.v, b.v)}; }
VOCALSYNTH_FORCE_INLINE M lt(F a, F b) { return {_mm_cmplt_ps(a.v, b.v)}; }
VOCALSYNTH_FORCE_INLINE F select(M m, F t, F f) { return {_mm_or_ps(_mm_and_ps(m.v, t.v), _mm_andnot_ps(m.v, f.v))}; }
VOCALSYNTH_FORCE_INLINE bool any(M m) { return _mm_movemask_ps(m.v) != 0; }
VOCALSYNTH_FORCE_INLINE U loadU(const std::uint32_t* p) {
  return {_mm_load_si128(reinterpret_cast<const __m128i*>(p))};
}
VOCALSYNTH_FORCE_INLINE void storeU(std::uint32_t* p, U v) { _mm_store_si128(reinterpret_cast<__m128i*>(p), v.v); }
VOCALSYNTH_FORCE_INLINE U selectU(M m, U t, U f) {
  const __m128i mi = _mm_castps_si128(m.v);
  return {_mm_or_si128(_mm_and_si128(mi, t.v), _mm_andnot_si128(mi, f.v))};
}
VOCALSYNTH_FORCE_INLINE U xorshift(U x) {
  __m128i v = x.v;
  v = _mm_xor_si128(v, _mm_slli_epi32(v, 13));
  v = _mm_xor_si128(v, _mm_srli_epi32(v, 17));
  v = _mm_xor_si128(v, _mm_slli_epi32(v, 5));
  return {v};
}
VOCALSYNTH_FORCE_INLINE F oneToTwo(U x) {
  return {_mm_castsi128_ps(_mm_or_si128(_mm_srli_epi32(x.v, 9), _mm_set1_epi32(0x3F800000)))};
}
VOCALSYNTH_FORCE_INLINE F bipolar(U x) { return oneToTwo(x) * splat(2.0f) - splat(3.0f); }
VOCALSYNTH_FORCE_INLINE F unit(U x) { return oneToTwo(x) - splat(1.0f); }
}  // namespace sse2
#endif

#if defined(VOCALSYNTH_SIMD_AVX2)
VOCALSYNTH_AVX2_BEGIN
namespace avx2 {
inline constexpr int kWidth = 8;
struct F {
  __m256 v;
};
struct U {
  __m256i v;
};
struct M {
  __m256 v;
};
VOCALSYNTH_FORCE_INLINE F splat(float v) { return {_mm256_set1_ps(v)}; }
VOCALSYNTH_FORCE_INLINE F load(const float* p) { return {_mm256_load_ps(p)}; }
VOCALSYNTH_FORCE_INLINE void store(float* p, F v) { _mm256_store_ps(p, v.v); }
VOCALSYNTH_FORCE_INLINE F operator+(F a, F b) { return {_mm256_add_ps(a.v, b.v)}; }
VOCALSYNTH_FORCE_INLINE F operator-(F a, F b) { return {_mm256_sub_ps(a.v, b.v)}; }
VOCALSYNTH_FORCE_INLINE F operator*(F a, F b) { return {_mm256_mul_ps(a.v, b.v)}; }
VOCALSYNTH_FORCE_INLINE F operator/(F a, F b) { return {_mm256_div_ps(a.v, b.v)}; }
VOCALSYNTH_FORCE_INLINE F vmin(F a, F b) { return {_mm256_min_ps(a.v, b.v)}; }
VOCALSYNTH_FORCE_INLINE F vmax(F a, F b) { return {_mm256_max_ps(a.v, b.v)}; }
VOCALSYNTH_FORCE_INLINE M ge(F a, F b) { return {_mm256_cmp_ps(a.v, b.v, _CMP_GE_OQ)}; }
VOCALSYNTH_FORCE_INLINE M lt(F a, F b) { return {_mm256_cmp_ps(a.v, b.v, _CMP_LT_OQ)}; }
VOCALSYNTH_FORCE_INLINE F select(M m, F t, F f) { return {_mm256_blendv_ps(f.v, t.v, m.v)}; }
VOCALSYNTH_FORCE_INLINE bool any(M m) { return _mm256_movemask_ps(m.v) != 0; }
VOCALSYNTH_FORCE_INLINE U loadU(const std::uint32_t* p) {
  return {_mm256_load_si256(reinterpret_cast<const __m256i*>(p))};
}
VOCALSYNTH_FORCE_INLINE void storeU(std::uint32_t* p, U v) { _mm256_store_si256(reinterpret_cast<__m256i*>(p), v.v); }
VOCALSYNTH_FORCE_INLINE U selectU(M m, U t, U f) {
  return {_mm256_castps_si256(_mm256_blendv_ps(_mm256_castsi256_ps(f.v), _mm256_castsi256_ps(t.v), m.v))};
}
VOCALSYNTH_FORCE_INLINE U xorshift(U x) {
  __m256i v = x.v;
  v = _mm256_xor_si256(v, _mm256_slli_epi32(v, 13));
  v = _mm256_xor_si256(v, _mm256_srli_epi32(v, 17));
  v = _mm256_xor_si256(v, _mm256_slli_epi32(v, 5));
  return {v};
}
VOCALSYNTH_FORCE_INLINE F oneToTwo(U x) {
  return {_mm256_castsi256_ps(_mm256_or_si256(_mm256_srli_epi32(x.v, 9), _mm256_set1_epi32(0x3F800000)))};
}
VOCALSYNTH_FORCE_INLINE F bipolar(U x) { return oneToTwo(x) * splat(2.0f) - splat(3.0f); }
VOCALSYNTH_FORCE_INLINE F unit(U x) { return oneToTwo(x) - splat(1.0f); }
}  // namespace avx2
VOCALSYNTH_AVX2_END
#endif

#if defined(VOCALSYNTH_SIMD_AVX512)
VOCALSYNTH_AVX512_BEGIN
namespace avx512 {
inline constexpr int kWidth = 16;
struct F {
  __m512 v;
};
struct U {
  __m512i v;
};
struct M {
  __mmask16 v;
};
VOCALSYNTH_FORCE_INLINE F splat(float v) { return {_mm512_set1_ps(v)}; }
VOCALSYNTH_FORCE_INLINE F load(const float* p) { return {_mm512_load_ps(p)}; }
VOCALSYNTH_FORCE_INLINE void store(float* p, F v) { _mm512_store_ps(p, v.v); }
VOCALSYNTH_FORCE_INLINE F operator+(F a, F b) { return {_mm512_add_ps(a.v, b.v)}; }
VOCALSYNTH_FORCE_INLINE F operator-(F a, F b) { return {_mm512_sub_ps(a.v, b.v)}; }
VOCALSYNTH_FORCE_INLINE F operator*(F a, F b) { return {_mm512_mul_ps(a.v, b.v)}; }
VOCALSYNTH_FORCE_INLINE F operator/(F a, F b) { return {_mm512_div_ps(a.v, b.v)}; }
VOCALSYNTH_FORCE_INLINE F vmin(F a, F b) { return {_mm512_min_ps(a.v, b.v)}; }
VOCALSYNTH_FORCE_INLINE F vmax(F a, F b) { return {_mm512_max_ps(a.v, b.v)}; }
VOCALSYNTH_FORCE_INLINE M ge(F a, F b) { return {_mm512_cmp_ps_mask(a.v, b.v, _CMP_GE_OQ)}; }
VOCALSYNTH_FORCE_INLINE M lt(F a, F b) { return {_mm512_cmp_ps_mask(a.v, b.v, _CMP_LT_OQ)}; }
VOCALSYNTH_FORCE_INLINE F select(M m, F t, F f) { return {_mm512_mask_blend_ps(m.v, f.v, t.v)}; }
VOCALSYNTH_FORCE_INLINE bool any(M m) { return m.v != 0; }
VOCALSYNTH_FORCE_INLINE U loadU(const std::uint32_t* p) { return {_mm512_load_si512(p)}; }
VOCALSYNTH_FORCE_INLINE void storeU(std::uint32_t* p, U v) { _mm512_store_si512(p, v.v); }
VOCALSYNTH_FORCE_INLINE U selectU(M m, U t, U f) { return {_mm512_mask_blend_epi32(m.v, f.v, t.v)}; }
VOCALSYNTH_FORCE_INLINE U xorshift(U x) {
  __m512i v = x.v;
  v = _mm512_xor_si512(v, _mm512_slli_epi32(v, 13));
  v = _mm512_xor_si512(v, _mm512_srli_epi32(v, 17));
  v = _mm512_xor_si512(v, _mm512_slli_epi32(v, 5));
  return {v};
}
VOCALSYNTH_FORCE_INLINE F oneToTwo(U x) {
  return {_mm512_castsi512_ps(_mm512_or_si512(_mm512_srli_epi32(x.v, 9), _mm512_set1_epi32(0x3F800000)))};
}
VOCALSYNTH_FORCE_INLINE F bipolar(U x) { return oneToTwo(x) * splat(2.0f) - splat(3.0f); }
VOCALSYNTH_FORCE_INLINE F unit(U x) { return oneToTwo(x) - splat(1.0f); }
}  // namespace avx512
VOCALSYNTH_AVX512_END
#endif

#if defined(VOCALSYNTH_ARM64) && (defined(__ARM_NEON) || defined(_M_ARM64))
namespace neon {
inline constexpr int kWidth = 4;
struct F {
  float32x4_t v;
};
struct U {
  uint32x4_t v;
};
struct M {
  uint32x4_t v;
};
VOCALSYNTH_FORCE_INLINE F splat(float v) { return {vdupq_n_f32(v)}; }
VOCALSYNTH_FORCE_INLINE F load(const float* p) { return {vld1q_f32(p)}; }
VOCALSYNTH_FORCE_INLINE void store(float* p, F v) { vst1q_f32(p, v.v); }
VOCALSYNTH_FORCE_INLINE F operator+(F a, F b) { return {vaddq_f32(a.v, b.v)}; }
VOCALSYNTH_FORCE_INLINE F operator-(F a, F b) { return {vsubq_f32(a.v, b.v)}; }
VOCALSYNTH_FORCE_INLINE F operator*(F a, F b) { return {vmulq_f32(a.v, b.v)}; }
VOCALSYNTH_FORCE_INLINE F operator/(F a, F b) { return {vdivq_f32(a.v, b.v)}; }
VOCALSYNTH_FORCE_INLINE F vmin(F a, F b) { return {vminq_f32(a.v, b.v)}; }
VOCALSYNTH_FORCE_INLINE F vmax(F a, F b) { return {vmaxq_f32(a.v, b.v)}; }
VOCALSYNTH_FORCE_INLINE M ge(F a, F b) { return {vcgeq_f32(a.v, b.v)}; }
VOCALSYNTH_FORCE_INLINE M lt(F a, F b) { return {vcltq_f32(a.v, b.v)}; }
VOCALSYNTH_FORCE_INLINE F select(M m, F t, F f) { return {vbslq_f32(m.v, t.v, f.v)}; }
VOCALSYNTH_FORCE_INLINE bool any(M m) { return vmaxvq_u32(m.v) != 0; }
VOCALSYNTH_FORCE_INLINE U loadU(const std::uint32_t* p) { return {vld1q_u32(p)}; }
VOCALSYNTH_FORCE_INLINE void storeU(std::uint32_t* p, U v) { vst1q_u32(p, v.v); }
VOCALSYNTH_FORCE_INLINE U selectU(M m, U t, U f) { return {vbslq_u32(m.v, t.v, f.v)}; }
VOCALSYNTH_FORCE_INLINE U xorshift(U x) {
  uint32x4_t v = x.v;
  v = veorq_u32(v, vshlq_n_u32(v, 13));
  v = veorq_u32(v, vshrq_n_u32(v, 17));
  v = veorq_u32(v, vshlq_n_u32(v, 5));
  return {v};
}
VOCALSYNTH_FORCE_INLINE F oneToTwo(U x) {
  return {vreinterpretq_f32_u32(vorrq_u32(vshrq_n_u32(x.v, 9), vdupq_n_u32(0x3F800000u)))};
}
VOCALSYNTH_FORCE_INLINE F bipolar(U x) { return oneToTwo(x) * splat(2.0f) - splat(3.0f); }
VOCALSYNTH_FORCE_INLINE F unit(U x) { return oneToTwo(x) - splat(1.0f); }
}  // namespace neon
#endif

}  // namespace vocalsynth::simd
