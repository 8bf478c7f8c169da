// Pinned memory: blocks sys allocates, owns and frees, the only memory an
// SQE may ask the kernel to write into (and, on rings that track
// operations, read from). JavaScript holds one reference through the
// block's ArrayBuffer; each operation in flight on the block holds another.
// Freeing the buffer (pinnedFree, or garbage collection) only drops the
// JavaScript reference: the memory goes when the last operation's own
// completion has been seen, never while the kernel may still touch it.
//
// Blocks are per thread (Node environment): an address is looked up only
// among the blocks of the thread whose ring carries it, so a worker cannot
// aim the kernel at another thread's memory.
#pragma once

#include <napi.h>
#include <sys/uio.h>

#include <cstddef>
#include <cstdint>
#include <vector>

namespace evring {

struct PinnedBlock {
  uint8_t* base = nullptr;
  size_t len = 0;
  napi_env env = nullptr;
  // JavaScript's buffer over the block is still alive.
  bool js_alive = true;
  // Operations in flight that read or write the block.
  uint32_t held = 0;
};

// A zeroed, 64-byte aligned block of `len` bytes owned by `env`, or nullptr
// when memory is short.
PinnedBlock* NewPinnedBlock(napi_env env, size_t len);

// The block of `env` that holds all of [addr, addr + len), or nullptr.
PinnedBlock* FindPinned(napi_env env, uint64_t addr, uint64_t len);

// An iovec array (`count` entries at `array`, which JavaScript may be
// rewriting from another thread) copied into `*out` and checked as copied:
// each entry of non-zero length wholly inside one pinned block of `env`.
// Those blocks go into `*blocks` when it is given. False for any entry
// outside pinned memory, or a count of 0 or over kMaxIovecs.
constexpr uint32_t kMaxIovecs = 1024;  // the kernel's UIO_MAXIOV
bool CopyPinnedIovecs(napi_env env, const void* array, uint32_t count, std::vector<struct iovec>* out,
                      std::vector<PinnedBlock*>* blocks);

// CopyPinnedIovecs for an array at an address the caller was given (an SQE's
// or an iocb's): the array itself must lie wholly inside one pinned block of
// `env` before a byte of it is read. False as CopyPinnedIovecs, and for an
// array outside pinned memory.
bool CopyIovecsFromPinned(napi_env env, uint64_t addr, uint64_t count, std::vector<struct iovec>* out,
                          std::vector<PinnedBlock*>* blocks);

// One more operation in flight on the block.
void HoldPinned(PinnedBlock* block);

// That operation completed: the block is freed if nothing else holds it.
void UnholdPinned(PinnedBlock* block);

// JavaScript's buffer is gone (freed or collected): the block is freed if no
// operation holds it.
void DropPinnedJs(PinnedBlock* block);

// This thread's blocks: how many, their bytes, and the operations holding them.
struct PinnedStats {
  double blocks = 0;
  double bytes = 0;
  double held = 0;
};
PinnedStats GetPinnedStats();

}  // namespace evring
