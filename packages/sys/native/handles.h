// Handles: how JavaScript names a native resource (a ring, an AIO context).
//
// A handle is a slot index plus a generation, as a JS number. The table is
// per thread, and every Node environment runs on its own thread, so a handle
// made in one worker means nothing in another; a stale handle (its resource
// closed, its slot reused) finds a different generation and is refused.
// Lookup is an array index, cheap enough for calls made once per event.
#pragma once

#include <cstdint>
#include <vector>

namespace evring {

template <typename T>
class HandleTable {
 public:
  // Stores `item`; returns its handle (exact as a double: slot < 2^20,
  // gen < 2^33), or -1 when the thread already holds 2^20 items.
  double Add(T* item) {
    uint32_t slot;
    if (free_.empty() && entries_.size() >= kSlots) return -1;
    if (!free_.empty()) {
      slot = free_.back();
      free_.pop_back();
    } else {
      slot = static_cast<uint32_t>(entries_.size());
      entries_.push_back({nullptr, 0});
    }
    Entry& e = entries_[slot];
    e.item = item;
    e.gen += 1;
    return static_cast<double>(e.gen) * kSlots + slot;
  }

  // The item a handle names, or nullptr (unknown, stale, or not a handle at all).
  T* Find(double handle) const {
    if (!(handle >= 0) || handle > kMaxHandle) return nullptr;
    uint64_t h = static_cast<uint64_t>(handle);
    if (static_cast<double>(h) != handle) return nullptr;
    uint64_t slot = h % kSlots;
    uint64_t gen = h / kSlots;
    if (slot >= entries_.size()) return nullptr;
    const Entry& e = entries_[slot];
    return e.gen == gen && e.item != nullptr ? e.item : nullptr;
  }

  // Forgets the item a handle names; later lookups of that handle fail.
  void Remove(double handle) {
    uint64_t h = static_cast<uint64_t>(handle);
    uint32_t slot = static_cast<uint32_t>(h % kSlots);
    if (slot < entries_.size() && entries_[slot].item != nullptr) {
      entries_[slot].item = nullptr;
      free_.push_back(slot);
    }
  }

  template <typename F>
  void ForEach(F fn) const {
    for (const Entry& e : entries_) {
      if (e.item != nullptr) fn(e.item);
    }
  }

 private:
  static constexpr uint64_t kSlots = uint64_t{1} << 20;
  static constexpr double kMaxHandle = 9007199254740991.0;  // 2^53 - 1
  struct Entry {
    T* item;
    uint64_t gen;
  };
  std::vector<Entry> entries_;
  std::vector<uint32_t> free_;
};

}  // namespace evring
