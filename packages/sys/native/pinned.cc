// See pinned.h.
#include "pinned.h"

#include <cstdlib>
#include <cstring>
#include <map>
#include <mutex>

namespace evring {

namespace {

// base -> block, this thread's only. Sorted, so an address finds the block
// below it in O(log n).
thread_local std::map<uintptr_t, PinnedBlock*> t_blocks;
thread_local PinnedStats t_stats;
// Blocks lookups found, by the address's page: operations that cycle over
// a set of buffers find theirs again without walking the map. An entry is
// only a hint, checked against the block's range; it is cleared when its
// block is freed.
constexpr size_t kCacheSize = 256;
thread_local PinnedBlock* t_cache[kCacheSize] = {};

inline size_t CacheSlot(uint64_t addr) { return (addr >> 12) & (kCacheSize - 1); }

// Block records live side by side in slabs, not one by one from the
// allocator (which put each beside its own buffer, a page apart): an
// operation touches its block's record when it is submitted and when it
// completes, and on this kind of machine every syscall empties the TLB
// (page-table isolation without PCID), so after each io_uring_enter a
// record on a page of its own cost a page walk. Records are never given
// back to the allocator: a freed one is reused, by any thread.
constexpr size_t kSlab = 64;
std::mutex g_records_lock;
std::vector<PinnedBlock*> g_free_records;

PinnedBlock* NewRecord() {
  std::lock_guard<std::mutex> hold(g_records_lock);
  if (g_free_records.empty()) {
    auto* slab = new PinnedBlock[kSlab];
    for (size_t i = kSlab; i-- > 0;) g_free_records.push_back(&slab[i]);
  }
  PinnedBlock* record = g_free_records.back();
  g_free_records.pop_back();
  *record = PinnedBlock();
  return record;
}

void FreeRecord(PinnedBlock* record) {
  std::lock_guard<std::mutex> hold(g_records_lock);
  g_free_records.push_back(record);
}

void FreeIfUnused(PinnedBlock* block) {
  if (block->js_alive || block->held > 0) return;
  for (PinnedBlock*& entry : t_cache) {
    if (entry == block) entry = nullptr;
  }
  t_blocks.erase(reinterpret_cast<uintptr_t>(block->base));
  t_stats.blocks -= 1;
  t_stats.bytes -= static_cast<double>(block->len);
  std::free(block->base);
  FreeRecord(block);
}

}  // namespace

PinnedBlock* NewPinnedBlock(napi_env env, size_t len) {
  // A page or more starts on a page: a 4 KiB read then touches one page,
  // as a program's posix_memalign(4096) buffer does, not two.
  size_t align = len >= 4096 ? 4096 : 64;
  size_t rounded = (len + align - 1) / align * align;
  void* mem = std::aligned_alloc(align, rounded);
  if (mem == nullptr) return nullptr;
  memset(mem, 0, rounded);
  PinnedBlock* block = NewRecord();
  block->base = static_cast<uint8_t*>(mem);
  block->len = len;
  block->env = env;
  t_blocks[reinterpret_cast<uintptr_t>(mem)] = block;
  t_stats.blocks += 1;
  t_stats.bytes += static_cast<double>(len);
  return block;
}

PinnedBlock* FindPinned(napi_env env, uint64_t addr, uint64_t len) {
  if (len == 0 || addr + len < addr) return nullptr;
  PinnedBlock* hint = t_cache[CacheSlot(addr)];
  if (hint != nullptr) {
    uint64_t base = reinterpret_cast<uintptr_t>(hint->base);
    if (addr >= base && addr + len <= base + hint->len && hint->env == env && hint->js_alive) return hint;
  }
  auto it = t_blocks.upper_bound(static_cast<uintptr_t>(addr));
  if (it == t_blocks.begin()) return nullptr;
  PinnedBlock* block = std::prev(it)->second;
  uint64_t base = reinterpret_cast<uintptr_t>(block->base);
  if (block->env != env || !block->js_alive) return nullptr;  // a freed buffer takes no new work
  if (addr < base || addr + len > base + block->len) return nullptr;
  t_cache[CacheSlot(addr)] = block;
  return block;
}

bool CopyPinnedIovecs(napi_env env, const void* array, uint32_t count, std::vector<struct iovec>* out,
                      std::vector<PinnedBlock*>* blocks) {
  if (count == 0 || count > kMaxIovecs) return false;
  out->resize(count);
  memcpy(out->data(), array, count * sizeof(struct iovec));
  if (blocks != nullptr) blocks->clear();
  for (const struct iovec& v : *out) {
    if (v.iov_len == 0) continue;  // the kernel touches nothing for it
    PinnedBlock* block = FindPinned(env, reinterpret_cast<uintptr_t>(v.iov_base), v.iov_len);
    if (block == nullptr) return false;
    if (blocks != nullptr) blocks->push_back(block);
  }
  return true;
}

bool CopyIovecsFromPinned(napi_env env, uint64_t addr, uint64_t count, std::vector<struct iovec>* out,
                          std::vector<PinnedBlock*>* blocks) {
  // The count first: it bounds the array's size below (no overflow).
  if (count == 0 || count > kMaxIovecs) return false;
  if (FindPinned(env, addr, count * sizeof(struct iovec)) == nullptr) return false;
  return CopyPinnedIovecs(env, reinterpret_cast<const void*>(static_cast<uintptr_t>(addr)),
                          static_cast<uint32_t>(count), out, blocks);
}

// Holds are counted on the block only: they come and go with every
// operation, and GetPinnedStats sums them when asked.
void HoldPinned(PinnedBlock* block) { block->held += 1; }

void UnholdPinned(PinnedBlock* block) {
  block->held -= 1;
  if (block->held == 0 && !block->js_alive) FreeIfUnused(block);
}

void DropPinnedJs(PinnedBlock* block) {
  block->js_alive = false;
  FreeIfUnused(block);
}

PinnedStats GetPinnedStats() {
  PinnedStats stats = t_stats;
  for (const auto& entry : t_blocks) stats.held += entry.second->held;
  return stats;
}

}  // namespace evring
