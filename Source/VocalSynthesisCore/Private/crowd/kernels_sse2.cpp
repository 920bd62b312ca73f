// Crowd kernels for sse2: crowd_kernels.inl instantiated over simd::sse2. CMake compiles
// this file with the flags that ISA needs; where the compiler does not target it (e.g. under
// Unreal Build Tool without AVX flags) the file compiles to a table lookup that says so.
#include "crowd_kernels.h"
#include "simd_batch.h"

namespace vocalsynth::crowd {

#if defined(VOCALSYNTH_X86) && (defined(__SSE2__) || defined(_M_X64))
namespace sse2_kernels {
using namespace ::vocalsynth::simd::sse2;
#include "crowd_kernels.inl"
}  // namespace sse2_kernels

const KernelTable* sse2Kernels() noexcept {
  static constexpr KernelTable kTable{"sse2", sse2_kernels::kWidth, &sse2_kernels::renderNear, &sse2_kernels::renderMid,
                                      &sse2_kernels::renderFar};
  return &kTable;
}
#else
const KernelTable* sse2Kernels() noexcept { return nullptr; }
#endif

}  // namespace vocalsynth::crowd
