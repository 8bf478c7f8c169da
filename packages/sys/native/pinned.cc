// See pinned.h.
#include "pinned.h"

#include <cstdlib>
#include <cstring>
#include <map>

namespace evring {

namespace {

// base -> block, this thread's only. Sorted, so an address finds the block
// below it in O(log n).
thread_local std::map<uintptr_t, PinnedBlock*> t_blocks;
thread_local PinnedStats t_stats;

void FreeIfUnused(PinnedBlock* block) {
  if (block->js_alive || block->held > 0) return;
  t_blocks.erase(reinterpret_cast<uintptr_t>(block->base));
  t_stats.blocks -= 1;
  t_stats.bytes -= static_cast<double>(block->len);
  std::free(block->base);
  delete block;
}

}  // namespace

PinnedBlock* NewPinnedBlock(napi_env env, size_t len) {
  size_t rounded = (len + 63) / 64 * 64;
  void* mem = std::aligned_alloc(64, rounded);
  if (mem == nullptr) return nullptr;
  memset(mem, 0, rounded);
  auto* block = new PinnedBlock();
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
  auto it = t_blocks.upper_bound(static_cast<uintptr_t>(addr));
  if (it == t_blocks.begin()) return nullptr;
  PinnedBlock* block = std::prev(it)->second;
  uint64_t base = reinterpret_cast<uintptr_t>(block->base);
  if (block->env != env || !block->js_alive) return nullptr;  // a freed buffer takes no new work
  if (addr < base || addr + len > base + block->len) return nullptr;
  return block;
}

void HoldPinned(PinnedBlock* block) {
  block->held += 1;
  t_stats.held += 1;
}

void UnholdPinned(PinnedBlock* block) {
  block->held -= 1;
  t_stats.held -= 1;
  FreeIfUnused(block);
}

void DropPinnedJs(PinnedBlock* block) {
  block->js_alive = false;
  FreeIfUnused(block);
}

PinnedStats GetPinnedStats() { return t_stats; }

}  // namespace evring
