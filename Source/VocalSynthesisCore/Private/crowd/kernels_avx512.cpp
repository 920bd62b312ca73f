// Crowd kernels for avx512: crowd_kernels.inl instantiated over simd::avx512. CMake compiles
// this file with the flags that ISA needs. Where the build does not target it (Unreal Build Tool's
// x86-64 flags), GCC and Clang compile these functions for it by a target pragma (simd_batch.h);
// elsewhere (MSVC without /arch) the file compiles to a table lookup that says there is none.
#define VOCALSYNTH_WANT_AVX512 1
#include "crowd_kernels.h"
#include "simd_batch.h"

namespace vocalsynth::crowd {

#if defined(VOCALSYNTH_SIMD_AVX512)
VOCALSYNTH_AVX512_BEGIN
namespace avx512_kernels {
using namespace ::vocalsynth::simd::avx512;
#include "crowd_kernels.inl"
}  // namespace avx512_kernels
VOCALSYNTH_AVX512_END  // the table lookup below stays plain x86-64 code

    const KernelTable* avx512Kernels() noexcept {
  static constexpr KernelTable kTable{"avx512", avx512_kernels::kWidth, &avx512_kernels::renderNear,
                                      &avx512_kernels::renderMid, &avx512_kernels::renderFar};
  return &kTable;
}
#else
const KernelTable* avx512Kernels() noexcept { return nullptr; }
#endif

}  // namespace vocalsynth::crowd
