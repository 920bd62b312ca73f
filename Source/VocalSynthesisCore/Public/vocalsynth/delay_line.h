// Fractional delay line read with 4-point, 3rd-order Lagrange interpolation. A delay that moves
// at rate d' changes pitch by (1 - d'), which is how jitter, the pitch stabilizer and the swarm
// copies bend pitch without touching the spectral envelope's timing. Integer delays are exact.
#pragma once

#include <cmath>
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
  void write(float x) noexcept {
    buffer_[writePos_] = x;
    writePos_ = (writePos_ + 1) & mask_;
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
  /// Sample written `delay` samples before the most recent write (delay >= 0).
  float readInteger(int delay) const noexcept { return buffer_[(writePos_ - 1 - delay) & mask_]; }
  /// Fractional read; delay must lie in [1, capacity - 3].
  float read(float delay) const noexcept {
    const float whole = std::floor(delay);
    const float t = delay - whole;
    const int d = static_cast<int>(whole);
    if (t == 0.0f) return readInteger(d);
    const float xm1 = readInteger(d - 1);
    const float x0 = readInteger(d);
    const float x1 = readInteger(d + 1);
    const float x2 = readInteger(d + 2);
    // Lagrange weights for nodes -1, 0, 1, 2 evaluated at t.
    const float c0 = -t * (t - 1.0f) * (t - 2.0f) / 6.0f;
    const float c1 = (t + 1.0f) * (t - 1.0f) * (t - 2.0f) / 2.0f;
    const float c2 = -(t + 1.0f) * t * (t - 2.0f) / 2.0f;
    const float c3 = (t + 1.0f) * t * (t - 1.0f) / 6.0f;
    return c0 * xm1 + c1 * x0 + c2 * x1 + c3 * x2;
  }
  int capacity() const noexcept { return static_cast<int>(buffer_.size()); }

 private:
  std::vector<float> buffer_;
  int mask_ = 0;
  int writePos_ = 0;
};

}  // namespace vocalsynth
