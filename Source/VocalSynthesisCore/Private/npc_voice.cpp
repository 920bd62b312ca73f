#include "vocalsynth/npc_voice.h"

#include <algorithm>
#include <cmath>

#include "vocalsynth/dsp_math.h"

namespace vocalsynth {

NpcVoice::NpcVoice() = default;

NpcVoice::~NpcVoice() {
  // No thread is rendering any more: free whatever is still queued or playing.
  Line* line = nullptr;
  while (pendingLines_.pop(line)) delete line;
  while (finishedLines_.pop(line)) delete line;
  delete current_;
  Clip* clip = nullptr;
  while (pendingClips_.pop(clip)) delete clip;
  while (finishedClips_.pop(clip)) delete clip;
  delete clip_;
}

bool NpcVoice::prepare(double sampleRate, int maxBlock, int maxPhonesPerLine, std::uint64_t seed) {
  if (maxBlock < 1 || maxPhonesPerLine < 1) return false;
  if (voice_.prepare(sampleRate, maxBlock, seed) != PrepareResult::Ok) return false;
  if (!synth_.prepare(sampleRate, maxPhonesPerLine)) return false;
  maxBlock_ = maxBlock;
  maxPhones_ = maxPhonesPerLine;
  pendingLines_.allocate(kQueuedLines);
  finishedLines_.allocate(kQueuedLines);
  pendingClips_.allocate(kQueuedClips);
  finishedClips_.allocate(kQueuedClips);
  events_.allocate(kEventCapacity);
  delayed_.assign(kEventCapacity, NpcVoiceEvent{});
  delayedHead_ = delayedCount_ = 0;
  clock_ = lineStart_ = 0;
  morph_ = MorphState{};
  morphStep_ = std::max(1, static_cast<int>(std::lround(sampleRate * kMorphStepSeconds)));
  prepared_ = true;
  return true;
}

void NpcVoice::reclaimFinished() {
  Line* line = nullptr;
  while (finishedLines_.pop(line)) {
    delete line;
    --linesOwned_;
  }
  Clip* clip = nullptr;
  while (finishedClips_.pop(clip)) {
    delete clip;
    --clipsOwned_;
  }
}

std::uint32_t NpcVoice::speak(const speech::Utterance& utterance, const VoiceParams* voiceParams,
                              const LineMorph* morph) {
  if (!prepared_ || utterance.phones.empty() || utterance.phones.size() > static_cast<std::size_t>(maxPhones_))
    return 0;
  if (morph != nullptr &&
      (voiceParams == nullptr || !std::isfinite(morph->startSeconds) || !std::isfinite(morph->endSeconds)))
    return 0;
  // At most kQueuedLines lines exist at once (queued, playing or waiting to be freed), so the
  // audio thread's hand-back queue can never be full, however fast lines are queued and dropped.
  reclaimFinished();
  if (linesOwned_ >= kQueuedLines) return 0;
  auto line = std::make_unique<Line>();
  line->utterance = utterance;
  line->id = nextLineId_;
  if (voiceParams != nullptr) {
    line->hasParams = true;
    line->params = *voiceParams;
    line->paramsStamp = voice_.paramsWritten();
  }
  if (morph != nullptr) {
    line->hasMorph = true;
    line->morph = *morph;
  }
  if (!pendingLines_.push(line.get())) return 0;
  line.release();  // owned by the queue until the audio thread hands it back
  ++linesOwned_;
  ++linesInFlight_;
  return nextLineId_++;
}

bool NpcVoice::playAnchor(std::vector<float> samples) {
  if (!prepared_ || samples.empty()) return false;
  for (float& x : samples) {
    if (!isFinite(x)) x = 0.0f;
  }
  reclaimFinished();
  if (clipsOwned_ >= kQueuedClips) return false;
  auto clip = std::make_unique<Clip>();
  clip->samples = std::move(samples);
  clip->sequence = nextClipSequence_;
  if (!pendingClips_.push(clip.get())) return false;
  clip.release();
  ++clipsOwned_;
  ++nextClipSequence_;
  return true;
}

void NpcVoice::stop(float fadeSeconds) noexcept {
  if (!prepared_) return;
  const float fade = isFinite(fadeSeconds) ? std::clamp(fadeSeconds, 0.001f, 1.0f) : 0.05f;
  stopFadeSeconds_.store(fade, std::memory_order_relaxed);
  stopLinesBefore_.store(nextLineId_, std::memory_order_relaxed);
  stopClipsBefore_.store(nextClipSequence_, std::memory_order_relaxed);
  stopGeneration_.fetch_add(1, std::memory_order_release);  // publishes the three above
}

int NpcVoice::popEvents(NpcVoiceEvent* out, int maxCount) {
  reclaimFinished();
  int count = 0;
  while (count < maxCount && events_.pop(out[count])) {
    const NpcVoiceEvent::Type type = out[count].type;
    if (type == NpcVoiceEvent::Type::LineFinished || type == NpcVoiceEvent::Type::LineStopped) --linesInFlight_;
    ++count;
  }
  return count;
}

template <class Drop>
int NpcVoice::removeDelayed(Drop drop, int limit) noexcept {
  // Compacts the ring in place, keeping the order (bounded: at most kEventCapacity events).
  const int capacity = static_cast<int>(delayed_.size());
  int kept = 0, removed = 0;
  for (int i = 0; i < delayedCount_; ++i) {
    const NpcVoiceEvent e = delayed_[static_cast<std::size_t>((delayedHead_ + i) % capacity)];
    if (removed < limit && drop(e)) {
      ++removed;
      continue;
    }
    delayed_[static_cast<std::size_t>((delayedHead_ + kept) % capacity)] = e;
    ++kept;
  }
  delayedCount_ = kept;
  return removed;
}

void NpcVoice::delay(const NpcVoiceEvent& event) noexcept {
  const int capacity = static_cast<int>(delayed_.size());
  if (delayedCount_ == capacity) {
    // Full: the game thread has not popped for a long while (its tick disabled, a long hitch)
    // and both queues are full. Drop the oldest word or viseme, never a line's end: a lost
    // LineFinished would leave the line in flight (IsSpeaking) forever.
    const auto wordOrViseme = [](const NpcVoiceEvent& e) {
      return e.type == NpcVoiceEvent::Type::Word || e.type == NpcVoiceEvent::Type::Viseme;
    };
    if (removeDelayed(wordOrViseme, 1) == 0) {
      events_.push(delayed_[static_cast<std::size_t>(delayedHead_)]);  // release early rather than lose it
      delayedHead_ = (delayedHead_ + 1) % capacity;
      --delayedCount_;
    }
  }
  delayed_[static_cast<std::size_t>((delayedHead_ + delayedCount_) % capacity)] = event;
  ++delayedCount_;
}

void NpcVoice::releaseDue(std::int64_t upTo) noexcept {
  const int capacity = static_cast<int>(delayed_.size());
  while (delayedCount_ > 0 && delayed_[static_cast<std::size_t>(delayedHead_)].sample < upTo) {
    if (!events_.push(delayed_[static_cast<std::size_t>(delayedHead_)]))
      return;  // game thread is behind: retry next block
    delayedHead_ = (delayedHead_ + 1) % capacity;
    --delayedCount_;
  }
}

void NpcVoice::forgetEventsAfter(std::uint32_t line, std::int64_t sample) noexcept {
  removeDelayed([&](const NpcVoiceEvent& e) { return e.line == line && e.sample > sample; }, kEventCapacity);
}

void NpcVoice::endLine(NpcVoiceEvent::Type how) noexcept {
  delay({how, 0, current_->id, clock_ + voice_.latencySamples()});
  finishedLines_.push(current_);  // cannot fail: it holds every line that can exist (speak's limit)
  current_ = nullptr;
}

void NpcVoice::takeStopRequest() noexcept {
  const std::uint32_t generation = stopGeneration_.load(std::memory_order_acquire);
  if (generation == seenStopGeneration_) return;
  seenStopGeneration_ = generation;
  dropLinesBefore_ = stopLinesBefore_.load(std::memory_order_relaxed);
  dropClipsBefore_ = stopClipsBefore_.load(std::memory_order_relaxed);
  const bool line = current_ != nullptr && current_->id < dropLinesBefore_ && !synth_.finished() && !fadingLine_;
  const bool clip = clip_ != nullptr && clip_->sequence < dropClipsBefore_ && !fadingClip_;
  if (!line && !clip) return;
  if (!fadingLine_ && !fadingClip_) {
    // A fade already running keeps its pace (a second stop joins it rather than jump its gain).
    const double seconds = stopFadeSeconds_.load(std::memory_order_relaxed);
    fadeLength_ = fadeLeft_ = std::max(1, static_cast<int>(std::lround(seconds * voice_.sampleRate())));
    cutSample_ = clock_ + fadeLeft_ + voice_.latencySamples();
  }
  if (line) {
    fadingLine_ = true;
    forgetEventsAfter(current_->id, cutSample_);  // words it will not reach are never heard
  }
  fadingClip_ = fadingClip_ || clip;
}

float NpcVoice::fadeGain(int i) const noexcept {
  return fadeLeft_ > i ? static_cast<float>(fadeLeft_ - i) / static_cast<float>(fadeLength_) : 0.0f;
}

int NpcVoice::stepMorph() noexcept {
  const std::int64_t k = clock_ - morph_.origin;
  const int into = static_cast<int>(k % morphStep_);
  if (into == 0) {
    // The amount for what is heard at time t: the chain's output lags its input by its latency.
    const double t = static_cast<double>(k - voice_.latencySamples()) / voice_.sampleRate();
    const double start = morph_.line.startSeconds, end = morph_.line.endSeconds;
    const double progress = t >= end ? 1.0 : t <= start ? 0.0 : (t - start) / (end - start);
    const auto amount = static_cast<float>(progress);
    if (amount != morph_.amount) {
      morph_.amount = amount;
      voice_.takeParamsAt(morph(morph_.from, morph_.line.to, amount), morph_.stamp);
    }
    if (amount >= 1.0f) {
      morph_.active = false;
      return maxBlock_;
    }
  }
  return morphStep_ - into;
}

void NpcVoice::render(float* out, int n) noexcept {
  if (!prepared_) {
    std::fill(out, out + std::max(n, 0), 0.0f);
    return;
  }
  const std::int64_t latency = voice_.latencySamples();
  for (int offset = 0; offset < n;) {
    int block = std::min(n - offset, maxBlock_);
    float* y = out + offset;
    std::fill(y, y + block, 0.0f);
    // Take new work at block boundaries; hand finished work back to the game thread to free.
    takeStopRequest();
    const bool fadeOver = (fadingLine_ || fadingClip_) && fadeLeft_ == 0;
    if (fadeOver && fadingLine_) {
      delay({NpcVoiceEvent::Type::Viseme, 0, current_->id, clock_ + latency});  // "sil": the mouth closes
      endLine(NpcVoiceEvent::Type::LineStopped);
    } else if (current_ != nullptr && synth_.finished() && !fadingLine_) {
      endLine(NpcVoiceEvent::Type::LineFinished);
    }
    if (fadeOver && fadingClip_) {
      finishedClips_.push(clip_);
      clip_ = nullptr;
    }
    if (fadeOver) fadingLine_ = fadingClip_ = false;
    while (current_ == nullptr && pendingLines_.pop(current_)) {
      if (current_->id < dropLinesBefore_) {
        endLine(NpcVoiceEvent::Type::LineStopped);  // queued before a stop(): dropped unheard
        continue;
      }
      synth_.start(current_->utterance, current_->id);  // copies into storage sized in prepare
      if (current_->hasParams) voice_.takeParamsAt(current_->params, current_->paramsStamp);
      lineStart_ = clock_;
      if (current_->hasParams) {
        // A line with a voice of its own ends any morph still running, and may start its own.
        morph_.active = current_->hasMorph;
        if (morph_.active) {
          morph_.from = current_->params;
          morph_.line = current_->morph;
          morph_.origin = clock_;
          morph_.stamp = current_->paramsStamp;
          morph_.amount = 0.0f;
        }
      }
    }
    if (morph_.active) block = std::min(block, stepMorph());
    while (clip_ == nullptr && pendingClips_.pop(clip_)) {
      if (clip_->sequence < dropClipsBefore_) {
        finishedClips_.push(clip_);
        clip_ = nullptr;
      }
    }

    if (current_ != nullptr && !synth_.finished()) {
      synth_.render(y, block);
      if (fadingLine_) {
        for (int i = 0; i < block; ++i) y[i] *= fadeGain(i);
      }
      speech::SpeechEvent batch[32];
      for (int count = synth_.popEvents(batch, 32); count > 0; count = synth_.popEvents(batch, 32)) {
        for (int e = 0; e < count; ++e) {
          // Its sound leaves the archetype chain latencySamples() after the synthesizer made it.
          const std::int64_t due = lineStart_ + batch[e].sample + latency;
          if (fadingLine_ && due > cutSample_) continue;  // past the fade: never heard
          if (batch[e].type == speech::SpeechEvent::Type::Word) {
            delay({NpcVoiceEvent::Type::Word, batch[e].index, current_->id, due});
          } else if (batch[e].type == speech::SpeechEvent::Type::Viseme) {
            delay({NpcVoiceEvent::Type::Viseme, batch[e].index, current_->id, due});
          }
        }
      }
    }
    if (clip_ != nullptr) {
      const std::size_t take =
          std::min<std::size_t>(static_cast<std::size_t>(block), clip_->samples.size() - clip_->position);
      for (std::size_t i = 0; i < take; ++i) {
        y[i] += clip_->samples[clip_->position + i] * (fadingClip_ ? fadeGain(static_cast<int>(i)) : 1.0f);
      }
      clip_->position += take;
      if (clip_->position >= clip_->samples.size()) {
        finishedClips_.push(clip_);
        clip_ = nullptr;
        fadingClip_ = false;  // ended inside its fade
      }
    }
    if (fadingLine_ || fadingClip_) fadeLeft_ = std::max(0, fadeLeft_ - block);
    voice_.process(y, y, block);  // the archetype chain, in place
    offset += block;
    clock_ += block;
    releaseDue(clock_);  // events whose sound is in the audio rendered so far
  }
}

}  // namespace vocalsynth
