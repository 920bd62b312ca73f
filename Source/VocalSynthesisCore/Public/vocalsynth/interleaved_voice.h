// An archetype voice over an engine's interleaved multichannel buffer, engine-free: what a UE
// source effect (USourceEffectVocalArchetypePreset) runs on any playing sound, so recorded
// dialogue, streamed or compressed, takes its archetype's voice in a cooked build with no baking.
// The channels are folded to mono (their mean: a voice is one source), the chain runs once, and
// the voice goes to every channel. A mono buffer gives exactly Voice::process's output.
//
// Threads: prepare() allocates (setup). process() runs on the audio thread and never allocates,
// locks or waits; the voice's setters may be called from the same thread or from one other.
#pragma once

#include <cstdint>
#include <vector>

#include "vocalsynth/voice.h"

namespace vocalsynth {

class InterleavedVoice {
 public:
  /// Setup: the chain and a mono scratch buffer of maxFrames (longer buffers are split).
  /// False for an unsupported rate, channels outside 1..8 or maxFrames < 1.
  bool prepare(double sampleRate, int channels, int maxFrames, std::uint64_t seed = 0);
  Voice& voice() noexcept { return voice_; }
  int channels() const noexcept { return channels_; }

  /// `samples` interleaved values (frames x channels; a trailing partial frame is zeroed).
  /// `in` and `out` may be the same buffer.
  void process(const float* in, float* out, int samples) noexcept;

 private:
  Voice voice_;
  std::vector<float> mono_;
  int channels_ = 0;
};

}  // namespace vocalsynth
