// Hands a new engine object (an NpcVoice, a CrowdEngine) to the audio thread while that thread may
// still be rendering the old one, as when a game engine restarts a voice at a new device rate.
// The audio thread renders between acquire() and release(), lock-free: it publishes the object
// it is about to use in a hazard pointer and checks that the object is still the current one
// (Michael 2004, "Hazard pointers"). The game thread's exchange() publishes the new object and
// returns the old one only once the audio thread no longer uses it, so it can be freed at once.
// One rendering thread at a time (a voice's render callback is never run concurrently).
#pragma once

#include <atomic>
#include <thread>

namespace vocalsynth {

template <class T>
class RenderHandoff {
 public:
  /// Game thread: makes `next` (null: nothing) the object the audio thread renders, and returns the
  /// previous one once no render uses it any more. Waits at most for the render in progress.
  T* exchange(T* next) noexcept {
    T* previous = active_.exchange(next, std::memory_order_seq_cst);
    if (previous == nullptr) return nullptr;
    while (inUse_.load(std::memory_order_seq_cst) == previous) std::this_thread::yield();
    return previous;
  }

  /// Game thread: the current object (the game thread is the only one that changes it).
  T* current() const noexcept { return active_.load(std::memory_order_relaxed); }

  /// Audio thread: the object to render (null: none), valid until release(). Never blocks; it only
  /// retries when exchange() swapped the object between its two loads.
  T* acquire() noexcept {
    T* object = active_.load(std::memory_order_seq_cst);
    for (;;) {
      inUse_.store(object, std::memory_order_seq_cst);
      T* again = active_.load(std::memory_order_seq_cst);
      if (again == object) return object;
      object = again;
    }
  }

  /// Audio thread: done with what acquire() returned.
  void release() noexcept { inUse_.store(nullptr, std::memory_order_seq_cst); }

 private:
  std::atomic<T*> active_{nullptr};
  std::atomic<T*> inUse_{nullptr};  // the hazard pointer: what the audio thread may be using
};

}  // namespace vocalsynth
