// Crowd kernels for avx2: crowd_kernels.inl instantiated over simd::avx2. CMake compiles
// this file with the flags that ISA needs; where the compiler does not target it (e.g. under
// Unreal Build Tool without AVX flags) the file compiles to a table lookup that says so.
#include "crowd_kernels.h"
#include "simd_batch.h"

namespace vocalsynth::crowd {

#if defined(VOCALSYNTH_X86) && defined(__AVX2__)
namespace avx2_kernels {
using namespace ::vocalsynth::simd::avx2;
#include "crowd_kernels.inl"
}  // namespace avx2_kernels

const KernelTable* avx2Kernels() noexcept {
  static constexpr KernelTable kTable{"avx2", avx2_kernels::kWidth, &avx2_kernels::renderNear,
                                      &avx2_kernels::renderMid, &avx2_kernels::renderFar};
  return &kTable;
}
#else
const KernelTable* avx2Kernels() noexcept { return nullptr; }
#endif

}  // namespace vocalsynth::crowd
