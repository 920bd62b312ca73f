// Crowd kernels for avx512: crowd_kernels.inl instantiated over simd::avx512. CMake compiles
// this file with the flags that ISA needs; where the compiler does not target it (e.g. under
// Unreal Build Tool without AVX flags) the file compiles to a table lookup that says so.
#include "crowd_kernels.h"
#include "simd_batch.h"

namespace vocalsynth::crowd {

#if defined(VOCALSYNTH_X86) && defined(__AVX512F__)
namespace avx512_kernels {
using namespace ::vocalsynth::simd::avx512;
#include "crowd_kernels.inl"
}  // namespace avx512_kernels

const KernelTable* avx512Kernels() noexcept {
  static constexpr KernelTable kTable{"avx512", avx512_kernels::kWidth, &avx512_kernels::renderNear,
                                      &avx512_kernels::renderMid, &avx512_kernels::renderFar};
  return &kTable;
}
#else
const KernelTable* avx512Kernels() noexcept { return nullptr; }
#endif

}  // namespace vocalsynth::crowd
