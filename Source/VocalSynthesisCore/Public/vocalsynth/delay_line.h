// Delay line written in blocks, read at integer delays (block copies) or fractional ones (4-point,
// 3rd-order Lagrange, or linear). A delay that moves at rate d' changes pitch by (1 - d'), which
// is how jitter, the pitch stabilizer and the swarm copies bend pitch without touching the
// spectral envelope's timing. Integer delays are exact.
#pragma once

#include <cstring>
#include <vector>

namespace vocalsynth {

class DelayLine {
 public:
  void prepare(int maxDelaySamples) {
    int size = 1;
    while (size < maxDelaySamples + 4) size <<= 1;
    buffer_.assign(size, 0.0f);
    mask_ = size - 1;
    writePos_ = 0;
  }
  void reset() noexcept {
    for (auto& v : buffer_) v = 0.0f;
    writePos_ = 0;
  }
  void writeBlock(const float* x, int n) noexcept {
    const int size = mask_ + 1;
    const int first = n < size - writePos_ ? n : size - writePos_;
    std::memcpy(&buffer_[writePos_], x, sizeof(float) * static_cast<size_t>(first));
    std::memcpy(buffer_.data(), x + first, sizeof(float) * static_cast<size_t>(n - first));
    writePos_ = (writePos_ + n) & mask_;
  }
  /// After writeBlock(x, n): out[k] = the sample written `delay` samples before x[k]
  /// (delay + n must not exceed the capacity).
  void readIntegerBlock(int delay, float* out, int n) const noexcept {
    const int size = mask_ + 1;
    const int start = (writePos_ - n - delay) & mask_;
    const int first = n < size - start ? n : size - start;
    std::memcpy(out, &buffer_[start], sizeof(float) * static_cast<size_t>(first));
    std::memcpy(out + first, buffer_.data(), sizeof(float) * static_cast<size_t>(n - first));
  }
  /// Fractional read, whole + t samples before the most recent write (whole >= 1, t in [0, 1),
  /// whole + 2 < capacity), split so that a caller can move the whole part without rounding the
  /// fraction: 3rd-order Lagrange in Horner (Farrow) form. A zero fraction is exact.
  float readAt(int whole, float t) const noexcept {
    const int newest = writePos_ - 1 - whole;
    const float x0 = buffer_[newest & mask_];
    // No shortcut at t == 0: x0 + 0 * c is x0 but for the sign of a zero (-0 + +0 is +0), and the
    // voice's four-at-a-time read computes the sum, so a shortcut here made the sign of a silent
    // sample depend on which path ran, i.e. on block sizes (a voice fuzzer find).
    const float xm1 = buffer_[(newest + 1) & mask_];  // one sample newer (delay whole - 1)
    const float x1 = buffer_[(newest - 1) & mask_];
    const float x2 = buffer_[(newest - 2) & mask_];
    // Lagrange weights for nodes -1, 0, 1, 2 collected by powers of t.
    const float c1 = x1 - (1.0f / 3.0f) * xm1 - 0.5f * x0 - (1.0f / 6.0f) * x2;
    const float c2 = 0.5f * (xm1 + x1) - x0;
    const float c3 = (1.0f / 6.0f) * (x2 - xm1) + 0.5f * (x0 - x1);
    return x0 + t * (c1 + t * (c2 + t * c3));
  }
  /// Linear interpolation (for copies whose top octave does not matter, e.g. the swarm).
  float readLinearAt(int whole, float t) const noexcept {
    const int newest = writePos_ - 1 - whole;
    const float x0 = buffer_[newest & mask_];
    const float x1 = buffer_[(newest - 1) & mask_];
    return x0 + t * (x1 - x0);
  }
  /// A contiguous run of n samples, oldest first, starting with the one written `back` writes
  /// before the most recent (run[j] is `back - j` writes back), or nullptr where the ring wraps.
  const float* run(int back, int n) const noexcept {
    const int start = (writePos_ - 1 - back) & mask_;
    return start + n <= mask_ + 1 ? &buffer_[start] : nullptr;
  }
  int capacity() const noexcept { return static_cast<int>(buffer_.size()); }

 private:
  std::vector<float> buffer_;
  int mask_ = 0;
  int writePos_ = 0;
};

}  // namespace vocalsynth
