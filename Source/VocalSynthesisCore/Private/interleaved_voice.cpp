#include "vocalsynth/interleaved_voice.h"

#include <algorithm>

namespace vocalsynth {

bool InterleavedVoice::prepare(double sampleRate, int channels, int maxFrames, std::uint64_t seed) {
  if (channels < 1 || channels > 8 || maxFrames < 1) return false;
  if (voice_.prepare(sampleRate, maxFrames, seed) != PrepareResult::Ok) return false;
  mono_.assign(static_cast<std::size_t>(maxFrames), 0.0f);
  channels_ = channels;
  return true;
}

void InterleavedVoice::process(const float* in, float* out, int samples) noexcept {
  if (samples <= 0) return;
  const int frames = channels_ > 0 ? samples / channels_ : 0;
  std::fill(out + frames * channels_, out + samples, 0.0f);  // a partial frame, or not prepared
  const int capacity = static_cast<int>(mono_.size());
  const float scale = channels_ > 0 ? 1.0f / static_cast<float>(channels_) : 0.0f;
  for (int done = 0; done < frames;) {
    const int n = std::min(frames - done, capacity);
    const float* x = in + done * channels_;
    float* y = out + done * channels_;
    for (int f = 0; f < n; ++f) {
      float sum = 0.0f;
      for (int c = 0; c < channels_; ++c) sum += x[f * channels_ + c];
      mono_[static_cast<std::size_t>(f)] = sum * scale;  // exact for one channel (x * 1)
    }
    voice_.process(mono_.data(), mono_.data(), n);
    for (int f = 0; f < n; ++f) {
      for (int c = 0; c < channels_; ++c) y[f * channels_ + c] = mono_[static_cast<std::size_t>(f)];
    }
    done += n;
  }
}

}  // namespace vocalsynth
