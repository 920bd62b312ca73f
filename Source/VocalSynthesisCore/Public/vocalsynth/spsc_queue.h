// Bounded single-producer / single-consumer ring of plain values (Lamport's queue with C++11
// acquire/release atomics). Capacity is fixed by `allocate`, which is the only call that
// allocates; push and pop are wait-free and never block, so the audio thread can drain commands
// from the game thread and post events back without a lock.
#pragma once

#include <atomic>
#include <cstddef>
#include <memory>
#include <type_traits>

namespace vocalsynth {

template <class T>
class SpscQueue {
  static_assert(std::is_trivially_copyable_v<T>, "SpscQueue carries plain data only");

 public:
  /// Not real-time: (re)allocates room for at least `capacity` items. Both threads must be idle.
  void allocate(std::size_t capacity) {
    std::size_t size = 2;
    while (size < capacity + 1) size <<= 1;
    items_ = std::make_unique<T[]>(size);
    mask_ = size - 1;
    head_.store(0, std::memory_order_relaxed);
    tail_.store(0, std::memory_order_relaxed);
  }

  std::size_t capacity() const noexcept { return items_ ? mask_ : 0; }

  /// Producer side. False (and nothing written) when full.
  bool push(const T& item) noexcept {
    if (!items_) return false;
    const std::size_t tail = tail_.load(std::memory_order_relaxed);
    const std::size_t next = (tail + 1) & mask_;
    if (next == head_.load(std::memory_order_acquire)) return false;
    items_[tail] = item;
    tail_.store(next, std::memory_order_release);
    return true;
  }

  /// Consumer side: nothing to pop (an item pushed meanwhile may be seen at the next call).
  bool empty() const noexcept {
    return !items_ || head_.load(std::memory_order_relaxed) == tail_.load(std::memory_order_acquire);
  }

  /// Consumer side. False when empty.
  bool pop(T& item) noexcept {
    if (!items_) return false;
    const std::size_t head = head_.load(std::memory_order_relaxed);
    if (head == tail_.load(std::memory_order_acquire)) return false;
    item = items_[head];
    head_.store((head + 1) & mask_, std::memory_order_release);
    return true;
  }

 private:
  std::unique_ptr<T[]> items_;
  std::size_t mask_ = 0;
  alignas(64) std::atomic<std::size_t> head_{0};  // consumer-owned
  alignas(64) std::atomic<std::size_t> tail_{0};  // producer-owned
};

}  // namespace vocalsynth
