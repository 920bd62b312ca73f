// Crowd kernels for avx2: crowd_kernels.inl instantiated over simd::avx2. CMake compiles
// this file with the flags that ISA needs. Where the build does not target it (Unreal Build Tool's
// x86-64 flags), GCC and Clang compile these functions for it by a target pragma (simd_batch.h);
// elsewhere (MSVC without /arch) the file compiles to a table lookup that says there is none.
#define VOCALSYNTH_WANT_AVX2 1
#include "crowd_kernels.h"
#include "simd_batch.h"

namespace vocalsynth::crowd {

#if defined(VOCALSYNTH_SIMD_AVX2)
VOCALSYNTH_AVX2_BEGIN
namespace avx2_kernels {
using namespace ::vocalsynth::simd::avx2;
#include "crowd_kernels.inl"
}  // namespace avx2_kernels
VOCALSYNTH_AVX2_END  // the table lookup below stays plain x86-64 code

    const KernelTable* avx2Kernels() noexcept {
  static constexpr KernelTable kTable{"avx2", avx2_kernels::kWidth, &avx2_kernels::renderNear, &avx2_kernels::renderMid,
                                      &avx2_kernels::renderFar};
  return &kTable;
}
#else
const KernelTable* avx2Kernels() noexcept { return nullptr; }
#endif

}  // namespace vocalsynth::crowd
