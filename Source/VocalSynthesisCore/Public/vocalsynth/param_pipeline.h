// Lock-free hand-over of the newest parameter set from one writer thread (the game thread) to
// the audio thread: a triple buffer. The writer fills its private slot and atomically swaps it
// into the shared "middle" slot with a fresh-flag; the reader swaps the middle slot into its own
// private slot only when the flag is set. Neither side ever waits, allocates or sees a
// half-written value, and the last value written always wins.
//
// One writer and one reader at a time. (The seed system's double buffer raced because the
// reader copied from a slot the writer could still be filling; here no slot is ever shared.)
#pragma once

#include <atomic>
#include <cstdint>
#include <type_traits>

namespace vocalsynth {

template <class T>
class ParamPipeline {
  static_assert(std::is_trivially_copyable_v<T>, "ParamPipeline carries plain data only");

 public:
  explicit ParamPipeline(const T& initial = T{}) noexcept {
    for (auto& slot : slots_) slot = initial;
  }

  /// Writer side (game thread). Wait-free.
  void write(const T& value) noexcept {
    slots_[back_] = value;
    const std::uint8_t previous =
        middle_.exchange(static_cast<std::uint8_t>(back_ | kFresh), std::memory_order_acq_rel);
    back_ = previous & kIndexMask;
  }

  /// Reader side: a value was written since the last read (read() would return it).
  bool hasNew() const noexcept { return (middle_.load(std::memory_order_acquire) & kFresh) != 0; }

  /// Reader side (audio thread). Returns true and copies the newest value when one was written
  /// since the last read; otherwise leaves `out` untouched. Wait-free.
  bool read(T& out) noexcept {
    if ((middle_.load(std::memory_order_acquire) & kFresh) == 0) return false;
    const std::uint8_t previous = middle_.exchange(front_, std::memory_order_acq_rel);
    front_ = previous & kIndexMask;
    out = slots_[front_];
    return true;
  }

 private:
  static constexpr std::uint8_t kIndexMask = 0x3;
  static constexpr std::uint8_t kFresh = 0x4;

  T slots_[3];
  std::uint8_t back_ = 0;                // owned by the writer
  std::atomic<std::uint8_t> middle_{1};  // shared: index | fresh flag
  std::uint8_t front_ = 2;               // owned by the reader
};

}  // namespace vocalsynth
