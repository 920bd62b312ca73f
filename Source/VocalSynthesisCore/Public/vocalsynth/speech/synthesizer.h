// Speech synthesizer: a Klatt-style formant synthesizer (Klatt 1980, "Software for a
// cascade/parallel formant synthesizer"). A Rosenberg glottal source with aspiration drives a
// cascade of five resonators (TPT SVF low-passes, stable while formants glide) and three fixed
// higher ones, with a broad parallel resonance for the top octaves (the higher-pole correction:
// voiced speech keeps its energy above 4.5 kHz); fricatives and bursts excite parallel band-passes. Formant tracks
// glide between phone targets (coarticulation), stops get a closure, burst and aspiration, nasals a murmur.
//
// Real-time: prepare() allocates room for an utterance; start() copies an Utterance into it (no
// allocation when it fits); render() is noexcept and streams any block size. It reports each
// phone's exact start sample, so lip sync and word timings are exact, not estimated.
#pragma once

#include <cstdint>
#include <vector>

#include "vocalsynth/random.h"
#include "vocalsynth/speech/text_frontend.h"
#include "vocalsynth/svf.h"

namespace vocalsynth::speech {

/// What happened at a sample: a word starts, a phone starts, or the mouth shape changes. The UE
/// component forwards these to the game thread (OnWord / OnViseme) to drive a face.
struct SpeechEvent {
  enum class Type : std::uint8_t { Word, Phone, Viseme };
  Type type;
  int index;            ///< word index, phone index, or viseme id (see visemeName)
  std::int64_t sample;  ///< absolute sample position in the utterance
  int offsetInBlock;    ///< position within the render() call that produced it
};

class Synthesizer {
 public:
  /// Allocates room for utterances of up to maxPhones phones.
  bool prepare(double sampleRateHz, int maxPhones = 4096);
  /// Copies the utterance in; false when it has more phones than prepared for.
  bool start(const Utterance& utterance, std::uint64_t seed = 1) noexcept;
  /// Renders up to n samples; returns how many were written (less at the end). noexcept.
  int render(float* out, int n) noexcept;
  bool finished() const noexcept { return phoneIndex_ >= phoneCount_; }
  std::int64_t totalSamples() const noexcept { return totalSamples_; }
  /// Start sample of phone i of the current utterance (exact, from the renderer's own timeline).
  std::int64_t phoneStartSample(int i) const noexcept { return phoneStarts_[i]; }
  int phoneCount() const noexcept { return phoneCount_; }
  /// Moves up to maxEvents events (oldest first) produced by render() since the last call into
  /// `out`; returns how many. Fixed capacity (kEventCapacity); the oldest are dropped if nobody
  /// reads them. Audio thread only, like render().
  int popEvents(SpeechEvent* out, int maxEvents) noexcept;
  static constexpr int kEventCapacity = 256;
  double sampleRate() const noexcept { return sampleRate_; }

 private:
  struct Track {  // per-phone values the renderer interpolates between
    float f[5], bw[5];
  };
  void enterPhone(int index) noexcept;
  void pushEvent(SpeechEvent::Type type, int index, int offsetInBlock) noexcept;
  void targetsFor(int index, float progress, Track& out) const noexcept;
  float renderSample() noexcept;

  double sampleRate_ = 48000.0;
  std::vector<UtterancePhone> phones_;
  std::vector<std::int64_t> phoneStarts_;
  int phoneCount_ = 0;
  std::int64_t totalSamples_ = 0;
  float formantScale_ = 1.0f;
  float effort_ = 1.0f, breathiness_ = 0.05f;
  bool whispered_ = false;

  int phoneIndex_ = 0;
  std::int64_t sampleInPhone_ = 0, phoneLength_ = 1, samplePosition_ = 0;
  Random random_;
  float glottalPhase_ = 0.0f, previousFlow_ = 0.0f;
  Svf cascade_[5];
  int cascadeCount_ = 5;  // the formants below the sample rate's limit for this tract
  // The higher-pole correction: F6-F8 in cascade, fixed by the tract length, and a broad parallel
  // resonance above them (see synthesizer.cpp).
  static constexpr int kUpperFormants = 3;
  Svf upper_[kUpperFormants];
  int upperCount_ = 0;  // those below the sample rate's limit
  Svf air_;
  bool airActive_ = false;
  float airGain_ = 0.0f, neutralAirMagnitude_ = 1.0f;
  Svf frication_, burst_, aspirationTilt_;
  // Nasal murmur: Klatt's (1980) nasal pole-zero pair after the cascade (see synthesizer.cpp).
  struct NasalPair {
    double poleA = 1.0, poleB = 0.0, poleC = 0.0, zeroA = 1.0, zeroB = 0.0, zeroC = 0.0;
    double x1 = 0.0, x2 = 0.0, y1 = 0.0, y2 = 0.0;
    float poleHz = 270.0f, zeroHz = 270.0f;
    float murmurZeroHz = 450.0f;                                       // where the zero goes in a nasal
    void start(float hz, float murmurHz, double sampleRate) noexcept;  // the pole, with the zero on it
    void setZero(float hz, double sampleRate) noexcept;
    float process(float in) noexcept;
  } nasal_;
  OnePoleTpt sourceShelf_;
  float current_[5] = {}, currentBw_[5] = {};
  float voicing_ = 0.0f, aspiration_ = 0.0f, fric_ = 0.0f, burstLevel_ = 0.0f;
  int controlCountdown_ = 0;
  float gain_ = 1.0f;
  SpeechEvent events_[kEventCapacity] = {};
  int eventHead_ = 0, eventCount_ = 0;
  int lastViseme_ = -1;
  int renderOffset_ = 0;
  float amplitudeSmoothing_ = 0.0f, burstDecay_ = 0.0f, formantGlide_ = 0.0f;  // per-rate constants
};

}  // namespace vocalsynth::speech
