// See ring_ops.h.
#include "ring_ops.h"

#include <linux/io_uring.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <chrono>
#include <cstring>

#include "common.h"
#include "ring.h"

#ifndef IORING_ASYNC_CANCEL_ALL
#define IORING_ASYNC_CANCEL_ALL (1U << 0)
#endif
#ifndef IORING_ASYNC_CANCEL_ANY
#define IORING_ASYNC_CANCEL_ANY (1U << 2)
#endif

namespace evring {

namespace {

constexpr uint64_t kTokenBit = uint64_t{1} << 63;
// Generation 0 is never given out, so this names no operation.
constexpr uint64_t kNoTarget = kTokenBit | 0xffffffffULL;

uint64_t TokenOf(uint32_t slot, uint32_t gen) {
  return kTokenBit | (static_cast<uint64_t>(gen & 0x7fffffff) << 32) | slot;
}

uint64_t Load64(const uint8_t* p) {
  uint64_t v;
  memcpy(&v, p, 8);
  return v;
}

void Store64(uint8_t* p, uint64_t v) { memcpy(p, &v, 8); }

uint32_t* CqWord(RingState& ring, uint32_t offset) {
  return reinterpret_cast<uint32_t*>(ring.cq_ring.addr + offset);
}

void ReleaseSlot(RingOps& ops, uint32_t slot) {
  TrackedOp& op = ops.slots[slot];
  op.live = false;
  for (PinnedBlock*& block : op.blocks) {
    if (block == nullptr) continue;
    PinnedBlock* b = block;
    block = nullptr;
    UnholdPinned(b);
  }
  if (!op.iov.empty()) {
    for (PinnedBlock* b : op.iov_blocks) UnholdPinned(b);
    op.iov_blocks.clear();
    op.iov.clear();
  }
  ops.free_slots.push_back(slot);
  ops.live -= 1;
}

// The iovec copy counts too: the kernel reads it.
bool HoldsMemory(const TrackedOp& op) {
  return op.blocks[0] != nullptr || op.blocks[1] != nullptr || !op.iov.empty();
}

// What close must wait for: memory the kernel may use, opens whose fd
// would otherwise leak, and closes: one the kernel runs after the ring is
// gone (a close punted to a kernel worker) would close a number its
// caller, told the ring is gone, may already have closed itself or seen
// taken by another file.
bool MustWaitFor(const TrackedOp& op) {
  return op.live && (HoldsMemory(op) || op.opens_fd || op.closes_fd);
}

bool AnyToWaitFor(const RingOps& ops) {
  for (const TrackedOp& op : ops.slots) {
    if (MustWaitFor(op)) return true;
  }
  return false;
}

}  // namespace

void TokenizeSqe(RingState& ring, uint8_t* sqe, const SqeMemory& memory, uint32_t pos) {
  RingOps& ops = *ring.ops;
  uint32_t slot;
  if (!ops.free_slots.empty()) {
    slot = ops.free_slots.back();
    ops.free_slots.pop_back();
  } else {
    slot = static_cast<uint32_t>(ops.slots.size());
    ops.slots.emplace_back();
  }
  TrackedOp& op = ops.slots[slot];
  op.gen = (op.gen + 1) & 0x7fffffff;
  if (op.gen == 0) op.gen = 1;
  op.user_data = Load64(sqe + 32);
  op.opcode = sqe[0];
  uint32_t file_index;
  memcpy(&file_index, sqe + 44, 4);
  // An open into the ring's fixed-file table completes with 0, not an fd.
  op.opens_fd = (op.opcode == IORING_OP_OPENAT || op.opcode == IORING_OP_OPENAT2) && file_index == 0;
  op.closes_fd = op.opcode == IORING_OP_CLOSE && file_index == 0;
  if (op.closes_fd) {
    memcpy(&op.close_fd, sqe + 4, 4);
    // A close of a held fd takes it (owned_fds.cc): nothing to close at the
    // end. Taken now, before the enter: once the kernel has closed the
    // number, another thread may open a file under it and hold that.
    op.close_holder = TakeHeldFd(op.close_fd);
  }
  op.live = true;
  for (int i = 0; i < 2; i++) {
    op.blocks[i] = memory.blocks[i];
    if (op.blocks[i] != nullptr) HoldPinned(op.blocks[i]);
  }
  if (memory.vectored) {
    // The checked copy becomes the operation's, and the SQE points at it.
    op.iov.swap(ops.iov_stage);
    op.iov_blocks.swap(ops.iov_block_stage);
    for (PinnedBlock* b : op.iov_blocks) HoldPinned(b);
    op.caller_addr = Load64(sqe + 16);
    Store64(sqe + 16, reinterpret_cast<uintptr_t>(op.iov.data()));
  }
  ops.live += 1;
  // Field by field: a braced temporary was built on the stack and read back
  // as one 16-byte load, which stalled on the narrower stores before it.
  RingOps::Tentative& t = ops.tentative.emplace_back();
  t.sqe = sqe;
  t.slot = slot;
  t.pos = pos;
  Store64(sqe + 32, TokenOf(slot, op.gen));
}

uint64_t TargetToken(const RingState& ring, uint64_t user_data) {
  const RingOps& ops = *ring.ops;
  // Newest first: a caller reusing a user_data means the latest operation.
  for (size_t i = ops.slots.size(); i-- > 0;) {
    const TrackedOp& op = ops.slots[i];
    if (op.live && op.user_data == user_data) return TokenOf(static_cast<uint32_t>(i), op.gen);
  }
  return kNoTarget;
}

void SettleTentative(RingState& ring, uint32_t consumed) {
  RingOps& ops = *ring.ops;
  for (const RingOps::Tentative& t : ops.tentative) {
    if (t.pos < consumed) continue;
    // Still the caller's SQE: as it was.
    const TrackedOp& op = ops.slots[t.slot];
    Store64(t.sqe + 32, op.user_data);
    if (!op.iov.empty()) Store64(t.sqe + 16, op.caller_addr);
    // A close the kernel did not take: its fd is still open, so this
    // environment's hold on it comes back (a ring closed before the SQE
    // goes in again must not leave the fd without an owner). A hold of
    // another environment's is left taken: that one may be ending.
    if (op.closes_fd && op.close_holder == ring.env) HoldFd(ring.env, op.close_fd);
    ReleaseSlot(ops, t.slot);
  }
  ops.tentative.clear();
}

void RestoreCqTail(RingState& ring) {
  if (ring.ops == nullptr || ring.cq_ring.addr == nullptr) return;
  __atomic_store_n(CqWord(ring, ring.cq_off.tail), ring.ops->cq_tail, __ATOMIC_RELEASE);
}

void ScanCqes(RingState& ring, bool closing) {
  if (ring.ops == nullptr || ring.cq_ring.addr == nullptr) return;
  RingOps& ops = *ring.ops;
  uint32_t tail = __atomic_load_n(CqWord(ring, ring.cq_off.tail), __ATOMIC_ACQUIRE);
  uint32_t mask = ring.cq_entries - 1;
  uint8_t* cqes = ring.cq_ring.addr + ring.cq_off.cqes;
  for (uint32_t t = ops.cq_tail; t != tail; t++) {
    uint8_t* cqe = cqes + static_cast<size_t>(t & mask) * ring.cqe_size;
    uint64_t token = Load64(cqe);
    if ((token & kTokenBit) == 0) continue;
    uint32_t slot = static_cast<uint32_t>(token);
    uint32_t gen = static_cast<uint32_t>(token >> 32) & 0x7fffffff;
    if (slot >= ops.slots.size()) continue;
    TrackedOp& op = ops.slots[slot];
    // A slot seen twice in one scan (the caller moved the CQ head so far
    // that the kernel wrapped over unread CQEs) is released once.
    if (!op.live || op.gen != gen) continue;
    Store64(cqe, op.user_data);
    uint32_t flags;
    memcpy(&flags, cqe + 12, 4);
    int32_t res;
    memcpy(&res, cqe + 8, 4);
    if (res >= 0 && op.opens_fd) {
      if (closing) {
        // Opened as the ring closes: nobody will read this CQE, so the fd
        // would leak.
        Count(kClose);
        close(res);
      } else if (ring.hold_opened) {
        // Held until JavaScript takes it: a worker ended before then
        // closes it instead of leaving it open.
        HoldFd(ring.env, res);
      }
    }
    // A close has run (or failed): an owned fd's tie ends here, where the
    // completion is first seen, unless the number is another file's tie by now.
    if (op.closes_fd) DisownIfClosed(op.close_fd);
    if ((flags & IORING_CQE_F_MORE) == 0) ReleaseSlot(ops, slot);
  }
  ops.cq_tail = tail;
}

void ReleaseFixedBuffers(RingState& ring) {
  if (ring.ops == nullptr) return;
  for (PinnedBlock* b : ring.ops->fixed) UnholdPinned(b);
  ring.ops->fixed.clear();
}

namespace {

// IORING_REGISTER_SYNC_CANCEL (linux 6.0) of what `reg` names, waiting at
// most 20 ms. Through the private fd: registering through the ring's slot
// needs linux 6.3.
void SyncCancel(RingState& ring, struct io_uring_sync_cancel_reg reg) {
  reg.fd = -1;
  reg.timeout.tv_sec = 0;
  reg.timeout.tv_nsec = 20 * 1000000;
  RestoreCqTail(ring);
  Count(kIoUringRegister);
  syscall(__NR_io_uring_register, ring.own_fd, IORING_REGISTER_SYNC_CANCEL, &reg, 1);
  ScanCqes(ring, true);
}

}  // namespace

void DrainOps(RingState& ring, int budget_ms) {
  if (ring.ops == nullptr || !AnyToWaitFor(*ring.ops)) return;
  int target = ring.reg_index >= 0 ? ring.reg_index : ring.own_fd;
  uint32_t enter_flag = ring.reg_index >= 0 ? IORING_ENTER_REGISTERED_RING : 0;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(budget_ms);
  // Rounds of: cancel each operation close waits for, by its own token;
  // cancel everything else too (a request stuck behind an IOSQE_IO_DRAIN is
  // issued only once what it waits for has ended, and is cancellable only
  // then); reap for a moment. Until nothing is waited for, or time is up.
  do {
    for (size_t i = 0; i < ring.ops->slots.size(); i++) {
      const TrackedOp& op = ring.ops->slots[i];
      if (!MustWaitFor(op)) continue;
      struct io_uring_sync_cancel_reg reg {};
      reg.addr = TokenOf(static_cast<uint32_t>(i), op.gen);
      reg.flags = IORING_ASYNC_CANCEL_ALL;
      SyncCancel(ring, reg);
    }
    struct io_uring_sync_cancel_reg any {};
    any.flags = IORING_ASYNC_CANCEL_ANY | IORING_ASYNC_CANCEL_ALL;
    SyncCancel(ring, any);
    struct __kernel_timespec ts {0, 10 * 1000000};
    struct io_uring_getevents_arg arg {};
    arg.ts = reinterpret_cast<uint64_t>(&ts);
    RestoreCqTail(ring);
    // The caller's CQ head may be anywhere: make room for what is coming.
    __atomic_store_n(CqWord(ring, ring.cq_off.head), ring.ops->cq_tail, __ATOMIC_RELEASE);
    Count(kIoUringEnter);
    syscall(__NR_io_uring_enter, target, 0, 1, IORING_ENTER_GETEVENTS | IORING_ENTER_EXT_ARG | enter_flag, &arg,
            sizeof arg);
    ScanCqes(ring, true);
  } while (AnyToWaitFor(*ring.ops) && std::chrono::steady_clock::now() < deadline);
  for (TrackedOp& op : ring.ops->slots) {
    if (op.live && HoldsMemory(op)) {
      // Its holds are never dropped: the memory outlives the kernel's use of
      // it. So does the iovec copy, moved where nothing frees it.
      op.blocks[0] = op.blocks[1] = nullptr;
      if (!op.iov.empty()) {
        new std::vector<struct iovec>(std::move(op.iov));  // NOLINT: leaked on purpose
        op.iov.clear();
        op.iov_blocks.clear();
      }
      ring.ops->abandoned += 1;
    }
  }
}

}  // namespace evring
