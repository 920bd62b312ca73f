// An NPC's voice as the game engine drives it, engine-free: speech lines and anchor clips go in
// from the game thread, the audio thread renders them through the archetype chain, and word,
// viseme and line-finished events come back when the audio carrying them leaves the chain.
// UVocalSynthesisComponent is a thin adapter over this class; the C++ tests drive it from real
// game and audio threads (under ThreadSanitizer too).
//
// Threads: prepare() allocates (setup). One game thread calls speak / playAnchor / the voice's
// setters / popEvents; one audio thread calls render. Lines and clips are built (allocated) on
// the game thread, handed over as pointers through bounded lock-free queues, and handed back the
// same way to be freed on the game thread: render never allocates, frees, locks or waits.
//
// Between lines the chain is fed silence, so its voice path goes idle (Voice::idle()): an NPC
// that is not speaking costs only its additive layers and limiter, a few microseconds a block.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <vector>

#include "vocalsynth/speech/synthesizer.h"
#include "vocalsynth/spsc_queue.h"
#include "vocalsynth/voice.h"

namespace vocalsynth {

struct NpcVoiceEvent {
  /// LineStopped: the line was cut short by stop() (or dropped from the queue before it began);
  /// like LineFinished, each line reports exactly one of the two.
  enum class Type : std::uint8_t { Word, Viseme, LineFinished, LineStopped };
  Type type = Type::Word;
  std::int32_t index = 0;   ///< word index in its line, or viseme id (speech::visemeName)
  std::uint32_t line = 0;   ///< the id speak() returned
  std::int64_t sample = 0;  ///< output sample (since prepare) at which its sound is heard
};

/// A line during which the voice turns into another (a transformation: a man's voice dropping into
/// the wolf's). The chain morphs linearly from the line's voiceParams into `to`, from startSeconds
/// to endSeconds after the line's first sound (as heard, past the chain's latency), set every
/// kMorphStepSeconds at times fixed by the line, never by the host's blocks. It runs on after the
/// line when the span outlasts it; the next line with a voice of its own, or a setParams() made
/// after the line was queued, takes over. The caller glides the line's pitch (speech::glidePitch)
/// and moves `to` by the two speakers' tracts (withSpeakerTract), as the Python tools do.
struct LineMorph {
  VoiceParams to;
  double startSeconds = 0.0;
  double endSeconds = 0.0;  ///< at or before startSeconds: the voice changes at once, at the start
};

class NpcVoice {
 public:
  static constexpr int kQueuedLines = 16;
  static constexpr int kQueuedClips = 8;
  static constexpr int kEventCapacity = 1024;
  static constexpr double kMorphStepSeconds = 0.005;  ///< how often a LineMorph's amount is set

  NpcVoice();
  ~NpcVoice();
  NpcVoice(const NpcVoice&) = delete;
  NpcVoice& operator=(const NpcVoice&) = delete;

  /// Setup: allocates the chain, the synthesizer (lines up to maxPhonesPerLine) and the queues.
  bool prepare(double sampleRate, int maxBlock, int maxPhonesPerLine = 4096, std::uint64_t seed = 0);

  // --- Game thread -----------------------------------------------------------------------
  /// The archetype chain; its setters (setParams, setIntensity, setDetail) are lock-free.
  Voice& voice() noexcept { return voice_; }
  /// Queues a line; returns its id (> 0), or 0 when kQueuedLines lines are already queued or
  /// playing, or the line is too long. With `voiceParams` (a line's emotion), the chain takes
  /// them when the line starts, not before: the line playing keeps its own voice. They stay in
  /// effect after the line, until the next line with params or a later voice().setParams().
  /// With `morph` the line turns the voice into another (LineMorph); it needs `voiceParams`, the
  /// voice it starts from (0 without them, or with a span that is not finite).
  std::uint32_t speak(const speech::Utterance& utterance, const VoiceParams* voiceParams = nullptr,
                      const LineMorph* morph = nullptr);
  /// Queues mono anchor audio at the voice's sample rate (mixed with speech, through the chain);
  /// false when kQueuedClips clips are already queued or playing.
  bool playAnchor(std::vector<float> samples);
  /// Stops speaking (an NPC killed mid-sentence, a bark that must come first): what is playing
  /// fades out over `fadeSeconds` (clamped to 1 ms .. 1 s, so it never clicks), and every line and
  /// clip queued before this call is dropped. Those lines report LineStopped; words whose sound
  /// falls after the fade report nothing, and the mouth closes (a "sil" viseme) when it ends.
  /// Lines and clips queued after the call play as usual. Lock-free; any time after prepare().
  void stop(float fadeSeconds = 0.05f) noexcept;
  /// Moves due events into `out` (oldest first) and frees finished lines and clips.
  int popEvents(NpcVoiceEvent* out, int maxCount);
  /// Lines queued or playing.
  int linesInFlight() const noexcept { return linesInFlight_; }

  // --- Audio thread ------------------------------------------------------------------------
  /// Renders (overwrites) n samples. Any n; split internally.
  void render(float* out, int n) noexcept;

 private:
  struct Line {
    speech::Utterance utterance;
    std::uint32_t id = 0;
    bool hasParams = false;
    VoiceParams params;             // taken by the chain when the line starts
    std::uint32_t paramsStamp = 0;  // voice().paramsWritten() when it was queued
    bool hasMorph = false;
    LineMorph morph;
  };
  // The transformation under way (audio thread).
  struct MorphState {
    bool active = false;
    VoiceParams from;         // the line's params
    LineMorph line;           // into what, and when
    std::int64_t origin = 0;  // clock_ at the line's start
    std::uint32_t stamp = 0;  // the line's paramsStamp: a later setParams() wins
    float amount = 0.0f;
  };
  struct Clip {
    std::vector<float> samples;
    std::size_t position = 0;
    std::uint32_t sequence = 0;  // order of playAnchor() calls, for stop()
  };
  struct Delayed {
    NpcVoiceEvent event;
  };

  void delay(const NpcVoiceEvent& event) noexcept;
  void releaseDue(std::int64_t upTo) noexcept;
  /// Removes from the delay ring, oldest first, up to `limit` events `drop` picks; the rest keep
  /// their order. Returns how many went.
  template <class Drop>
  int removeDelayed(Drop drop, int limit) noexcept;
  void takeStopRequest() noexcept;
  /// Sets the morph's amount at its step boundaries; returns how many samples may be rendered
  /// before the next one.
  int stepMorph() noexcept;
  void endLine(NpcVoiceEvent::Type how) noexcept;
  void forgetEventsAfter(std::uint32_t line, std::int64_t sample) noexcept;
  /// Game thread: frees the lines and clips the audio thread has handed back.
  void reclaimFinished();
  /// The fade-out's gain `i` samples into the block (linear, to silence).
  float fadeGain(int i) const noexcept;

  Voice voice_;
  speech::Synthesizer synth_;
  int maxBlock_ = 0;
  int maxPhones_ = 0;
  bool prepared_ = false;

  SpscQueue<Line*> pendingLines_, finishedLines_;
  SpscQueue<Clip*> pendingClips_, finishedClips_;
  SpscQueue<NpcVoiceEvent> events_;

  // Game thread.
  std::uint32_t nextLineId_ = 1;
  std::uint32_t nextClipSequence_ = 0;
  int linesInFlight_ = 0;
  int linesOwned_ = 0, clipsOwned_ = 0;  // allocated and not yet freed (queued, playing or handed back)

  // stop(): the game thread writes the limits, then bumps the generation (release); the audio
  // thread takes them at its next block (acquire).
  std::atomic<std::uint32_t> stopGeneration_{0};
  std::atomic<std::uint32_t> stopLinesBefore_{0}, stopClipsBefore_{0};
  std::atomic<float> stopFadeSeconds_{0.05f};

  // Audio thread.
  Line* current_ = nullptr;
  Clip* clip_ = nullptr;
  std::int64_t clock_ = 0;      // samples rendered since prepare
  std::int64_t lineStart_ = 0;  // clock_ when the current line started
  MorphState morph_;
  int morphStep_ = 1;                   // samples between a morph's steps
  std::vector<NpcVoiceEvent> delayed_;  // ring, sized in prepare
  int delayedHead_ = 0, delayedCount_ = 0;
  std::uint32_t seenStopGeneration_ = 0;
  std::uint32_t dropLinesBefore_ = 0, dropClipsBefore_ = 0;  // the latest stop()'s limits
  bool fadingLine_ = false, fadingClip_ = false;             // the current line / clip is fading out
  int fadeLength_ = 0, fadeLeft_ = 0;                        // samples; the gain is fadeLeft_ / fadeLength_
  std::int64_t cutSample_ = 0;                               // output sample where the fade ends
};

}  // namespace vocalsynth
