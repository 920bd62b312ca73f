// Crowd kernels for neon: crowd_kernels.inl instantiated over simd::neon. CMake compiles
// this file with the flags that ISA needs; where the compiler does not target it (e.g. under
// Unreal Build Tool without AVX flags) the file compiles to a table lookup that says so.
#include "crowd_kernels.h"
#include "simd_batch.h"

namespace vocalsynth::crowd {

#if defined(VOCALSYNTH_ARM64) && (defined(__ARM_NEON) || defined(_M_ARM64))
namespace neon_kernels {
using namespace ::vocalsynth::simd::neon;
#include "crowd_kernels.inl"
}  // namespace neon_kernels

const KernelTable* neonKernels() noexcept {
  static constexpr KernelTable kTable{"neon", neon_kernels::kWidth, &neon_kernels::renderNear, &neon_kernels::renderMid,
                                      &neon_kernels::renderFar};
  return &kTable;
}
#else
const KernelTable* neonKernels() noexcept { return nullptr; }
#endif

}  // namespace vocalsynth::crowd
