// Crowd kernels for scalar: crowd_kernels.inl instantiated over simd::scalar. CMake compiles
// this file with the flags that ISA needs; where the compiler does not target it (e.g. under
// Unreal Build Tool without AVX flags) the file compiles to a table lookup that says so.
#include "crowd_kernels.h"
#include "simd_batch.h"

namespace vocalsynth::crowd {

#if 1  // the scalar fallback exists everywhere
namespace scalar_kernels {
using namespace ::vocalsynth::simd::scalar;
#include "crowd_kernels.inl"
}  // namespace scalar_kernels

const KernelTable* scalarKernels() noexcept {
  static constexpr KernelTable kTable{"scalar", scalar_kernels::kWidth, &scalar_kernels::renderNear,
                                      &scalar_kernels::renderMid, &scalar_kernels::renderFar};
  return &kTable;
}
#else
const KernelTable* scalarKernels() noexcept { return nullptr; }
#endif

}  // namespace vocalsynth::crowd
