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
  finishedLines_.allocate(kQueuedLines + 1);
  pendingClips_.allocate(kQueuedClips);
  finishedClips_.allocate(kQueuedClips + 1);
  events_.allocate(kEventCapacity);
  delayed_.assign(kEventCapacity, NpcVoiceEvent{});
  delayedHead_ = delayedCount_ = 0;
  clock_ = lineStart_ = 0;
  prepared_ = true;
  return true;
}

std::uint32_t NpcVoice::speak(const speech::Utterance& utterance) {
  if (!prepared_ || utterance.phones.empty() || utterance.phones.size() > static_cast<std::size_t>(maxPhones_)) return 0;
  auto line = std::make_unique<Line>();
  line->utterance = utterance;
  line->id = nextLineId_;
  if (!pendingLines_.push(line.get())) return 0;
  line.release();  // owned by the queue until the audio thread hands it back
  ++linesInFlight_;
  return nextLineId_++;
}

bool NpcVoice::playAnchor(std::vector<float> samples) {
  if (!prepared_ || samples.empty()) return false;
  for (float& x : samples) {
    if (!isFinite(x)) x = 0.0f;
  }
  auto clip = std::make_unique<Clip>();
  clip->samples = std::move(samples);
  if (!pendingClips_.push(clip.get())) return false;
  clip.release();
  return true;
}

int NpcVoice::popEvents(NpcVoiceEvent* out, int maxCount) {
  Line* line = nullptr;
  while (finishedLines_.pop(line)) delete line;
  Clip* clip = nullptr;
  while (finishedClips_.pop(clip)) delete clip;
  int count = 0;
  while (count < maxCount && events_.pop(out[count])) {
    if (out[count].type == NpcVoiceEvent::Type::LineFinished) --linesInFlight_;
    ++count;
  }
  return count;
}

void NpcVoice::delay(const NpcVoiceEvent& event) noexcept {
  const int capacity = static_cast<int>(delayed_.size());
  if (delayedCount_ == capacity) {  // full: release the oldest early rather than lose it
    events_.push(delayed_[static_cast<std::size_t>(delayedHead_)]);
    delayedHead_ = (delayedHead_ + 1) % capacity;
    --delayedCount_;
  }
  delayed_[static_cast<std::size_t>((delayedHead_ + delayedCount_) % capacity)] = event;
  ++delayedCount_;
}

void NpcVoice::releaseDue(std::int64_t upTo) noexcept {
  const int capacity = static_cast<int>(delayed_.size());
  while (delayedCount_ > 0 && delayed_[static_cast<std::size_t>(delayedHead_)].sample < upTo) {
    if (!events_.push(delayed_[static_cast<std::size_t>(delayedHead_)])) return;  // game thread is behind: retry next block
    delayedHead_ = (delayedHead_ + 1) % capacity;
    --delayedCount_;
  }
}

void NpcVoice::render(float* out, int n) noexcept {
  if (!prepared_) {
    std::fill(out, out + std::max(n, 0), 0.0f);
    return;
  }
  const std::int64_t latency = voice_.latencySamples();
  for (int offset = 0; offset < n;) {
    const int block = std::min(n - offset, maxBlock_);
    float* y = out + offset;
    std::fill(y, y + block, 0.0f);
    // Take new work at block boundaries; hand finished work back to the game thread to free.
    if (current_ != nullptr && synth_.finished()) {
      delay({NpcVoiceEvent::Type::LineFinished, 0, current_->id, clock_ + latency});
      finishedLines_.push(current_);  // cannot fail: the return queue holds more than can be in flight
      current_ = nullptr;
    }
    if (current_ == nullptr && pendingLines_.pop(current_)) {
      synth_.start(current_->utterance, current_->id);  // copies into storage sized in prepare
      lineStart_ = clock_;
    }
    if (clip_ == nullptr) pendingClips_.pop(clip_);

    if (current_ != nullptr && !synth_.finished()) {
      synth_.render(y, block);
      speech::SpeechEvent batch[32];
      for (int count = synth_.popEvents(batch, 32); count > 0; count = synth_.popEvents(batch, 32)) {
        for (int e = 0; e < count; ++e) {
          // Its sound leaves the archetype chain latencySamples() after the synthesizer made it.
          const std::int64_t due = lineStart_ + batch[e].sample + latency;
          if (batch[e].type == speech::SpeechEvent::Type::Word) {
            delay({NpcVoiceEvent::Type::Word, batch[e].index, current_->id, due});
          } else if (batch[e].type == speech::SpeechEvent::Type::Viseme) {
            delay({NpcVoiceEvent::Type::Viseme, batch[e].index, current_->id, due});
          }
        }
      }
    }
    if (clip_ != nullptr) {
      const std::size_t take = std::min<std::size_t>(static_cast<std::size_t>(block), clip_->samples.size() - clip_->position);
      for (std::size_t i = 0; i < take; ++i) y[i] += clip_->samples[clip_->position + i];
      clip_->position += take;
      if (clip_->position >= clip_->samples.size()) {
        finishedClips_.push(clip_);
        clip_ = nullptr;
      }
    }
    voice_.process(y, y, block);  // the archetype chain, in place
    offset += block;
    clock_ += block;
    releaseDue(clock_);  // events whose sound is in the audio rendered so far
  }
}

}  // namespace vocalsynth
