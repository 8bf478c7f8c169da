// Operations a ring tracks: on a ring set up with DEFER_TASKRUN (and so
// SINGLE_ISSUER), the kernel posts completions only inside io_uring_enter
// with GETEVENTS, on the thread that owns the ring. sys then sees every
// completion before JavaScript can, and that lets it open the opcodes that
// make the kernel write into memory (READ) or read from it (WRITE): their
// memory must be pinned memory (pinned.h), held until the operation's own
// completion.
//
// How a completion is known to be genuine: the CQ ring is shared memory
// JavaScript can rewrite, so sys trusts none of it between its own calls.
// Every SQE the kernel consumes carries a token sys wrote in place of the
// caller's user_data (the caller's value is kept here and written back
// into the CQE before JavaScript sees it), and sys restores the CQ tail to
// the kernel's last real value before each call into the kernel. After the
// call, the CQEs between that tail and the one the kernel stored were all
// written by the kernel during the call; only those are read.
#pragma once

#include <sys/uio.h>

#include <cstdint>
#include <vector>

#include "pinned.h"

namespace evring {

struct RingState;

// Aligned to a cache line, so that what every operation touches (the
// fields up to `iov`'s pointers) lies in one line: the kernel's copies
// between submission and completion evict it, and a slot straddling two
// lines costs two misses instead of one at each end.
struct alignas(64) TrackedOp {
  uint64_t user_data = 0;                     // the caller's own
  PinnedBlock* blocks[2] = {nullptr, nullptr};  // the pinned memory it reads or writes, if any
  uint32_t gen = 0;                           // bumped on each reuse of the slot
  uint8_t opcode = 0;
  bool opens_fd = false;  // an OPENAT whose result is a new fd number
  bool closes_fd = false;  // a CLOSE of an fd number (not of a fixed-file slot)
  bool live = false;
  int32_t close_fd = -1;  // that number: its tie ends at the close's completion
  // A READV or WRITEV: sys's own copy of the caller's iovec array, which
  // the SQE points at instead (JavaScript cannot reach it, so whenever the
  // kernel reads it, it reads what was checked), the pinned block of each
  // entry, held like `blocks`, and the address the caller wrote, given
  // back to an SQE the kernel did not consume. Emptied, not freed, on
  // release: a slot reused for another vectored operation allocates nothing.
  std::vector<struct iovec> iov;
  std::vector<PinnedBlock*> iov_blocks;
  uint64_t caller_addr = 0;
  // A close's: the environment that held `close_fd` until this close took
  // it, given the hold back if the kernel does not consume the SQE after
  // all. Set and read only while `closes_fd`, so it lies past the line
  // every operation touches.
  napi_env close_holder = nullptr;
};

// The pinned memory one SQE uses (a buffer, a path and a statx buffer, two
// paths); `vectored`: an iovec array copied into RingOps' staging vectors.
struct SqeMemory {
  PinnedBlock* blocks[2] = {nullptr, nullptr};
  bool vectored = false;
};

struct RingOps {
  std::vector<TrackedOp> slots;
  std::vector<uint32_t> free_slots;
  // SQEs the check tokenized this call, in submission order, until the
  // kernel says how many it consumed.
  struct Tentative {
    uint8_t* sqe;
    uint32_t slot;
    uint32_t pos;  // how far past the kernel's head the SQE sits in the SQ
  };
  std::vector<Tentative> tentative;
  // Per SQE index, the check pass that last saw it: an index the SQ array
  // names twice in one submission is one SQE consumed twice, and gets one
  // token (see CheckPendingSqes).
  std::vector<uint32_t> seen;
  uint32_t pass = 0;
  // The CQ tail as the kernel last stored it.
  uint32_t cq_tail = 0;
  uint32_t live = 0;
  // Operations given up at close because the kernel did not finish them in
  // time: their memory is never freed (leaked, never reused).
  uint32_t abandoned = 0;
  // The pinned blocks registered as the ring's fixed buffers, by index
  // (IORING_REGISTER_BUFFERS). The kernel pins their pages, so each is held
  // while registered: freeing one would let the kernel write into memory
  // the allocator has handed to someone else.
  std::vector<PinnedBlock*> fixed;
  // The iovec array of the SQE being checked, copied once out of memory
  // JavaScript can write and checked as copied, with each entry's block;
  // TokenizeSqe swaps them into the operation's slot.
  std::vector<struct iovec> iov_stage;
  std::vector<PinnedBlock*> iov_block_stage;
};

// Drops the holds of the ring's fixed buffers (after the kernel let go of them).
void ReleaseFixedBuffers(RingState& ring);

// Takes a slot for an SQE of a tracking ring that the kernel is about to
// consume (after the SQE check passed or rewrote it), holds the pinned
// memory the operation uses, and writes the slot's token as user_data.
void TokenizeSqe(RingState& ring, uint8_t* sqe, const SqeMemory& memory, uint32_t pos);

// The token of the live operation the caller knows as `user_data` (for a
// cancel or remove that names its target), or a token that names nothing.
uint64_t TargetToken(const RingState& ring, uint64_t user_data);

// After the enter: the SQEs at the first `consumed` positions are the
// kernel's now; the others get their user_data back and their slots released.
void SettleTentative(RingState& ring, uint32_t consumed);

// Before any call into the kernel: the shared CQ tail is put back to the
// kernel's last real value.
void RestoreCqTail(RingState& ring);

// After it: each CQE the kernel posted during the call gets its caller's
// user_data back; an operation's last CQE releases its slot and memory.
// `closing`: nobody will read these CQEs (an fd an open returned is closed).
void ScanCqes(RingState& ring, bool closing = false);

// At close: cancels what is in flight and reaps until every operation
// holding memory has completed, for at most `budget_ms`; what is left is
// abandoned (its memory leaked, never freed under the kernel). An open
// that completed with an fd nobody will read is closed.
void DrainOps(RingState& ring, int budget_ms);

}  // namespace evring
