// See sqe_check.h. Which opcodes pass, and why the rest do not:
//
// An SQE carries addresses the kernel reads or writes on the process's
// behalf. A write through an address JavaScript chose could land anywhere in
// the process, so every opcode that makes the kernel write through an SQE
// pointer (READ, READV, RECV, RECVMSG, ACCEPT with an address, STATX,
// GETXATTR, ...), or change the process's memory (MADVISE, PROVIDE_BUFFERS),
// or post completions into another ring (MSG_RING), or whose argument sys
// does not know (URING_CMD, anything newer than this list) is refused.
// Readiness, timeouts, cancellation, NOP, writes, sends, connect, open,
// close, fsync and epoll_ctl pass: the kernel only reads through their
// pointers. SQPOLL and IOPOLL rings are refused at setup, so the SQEs
// checked here are the ones the kernel consumes, in this thread, now.
#include "sqe_check.h"

#include <linux/io_uring.h>

#include <cstring>

#include "common.h"
#include "pinned.h"
#include "ring_ops.h"

namespace evring {

namespace {

bool AllowedOpcode(uint8_t op) {
  switch (op) {
    case IORING_OP_NOP:
    case IORING_OP_WRITEV:
    case IORING_OP_FSYNC:
    case IORING_OP_POLL_ADD:
    case IORING_OP_POLL_REMOVE:
    case IORING_OP_SYNC_FILE_RANGE:
    case IORING_OP_SENDMSG:
    case IORING_OP_TIMEOUT:
    case IORING_OP_TIMEOUT_REMOVE:
    case IORING_OP_ASYNC_CANCEL:
    case IORING_OP_LINK_TIMEOUT:
    case IORING_OP_CONNECT:
    case IORING_OP_FALLOCATE:
    case IORING_OP_OPENAT:
    case IORING_OP_CLOSE:
    case IORING_OP_WRITE:
    case IORING_OP_FADVISE:
    case IORING_OP_SEND:
    case IORING_OP_OPENAT2:
    case IORING_OP_EPOLL_CTL:
    case IORING_OP_SPLICE:
    case IORING_OP_TEE:
    case IORING_OP_SHUTDOWN:
    case IORING_OP_RENAMEAT:
    case IORING_OP_UNLINKAT:
    case IORING_OP_MKDIRAT:
    case IORING_OP_SYMLINKAT:
    case IORING_OP_LINKAT:
      return true;
    default:
      return false;
  }
}

// Turns the SQE into a TIMEOUT with len 0, which every kernel since 5.4
// fails at prep time with -EINVAL: same user_data, same link flags (so a
// chain behind it is cancelled as the kernel would cancel it).
void Refuse(uint8_t* sqe, uint32_t sqe_size) {
  uint64_t user_data;
  memcpy(&user_data, sqe + 32, 8);
  uint8_t flags = sqe[1] & (IOSQE_IO_LINK | IOSQE_IO_HARDLINK | IOSQE_IO_DRAIN);
  memset(sqe, 0, sqe_size);
  sqe[0] = IORING_OP_TIMEOUT;
  sqe[1] = flags;
  int32_t fd = -1;
  memcpy(sqe + 4, &fd, 4);
  memcpy(sqe + 32, &user_data, 8);
  Count(kSqeRejected);
}

uint64_t Load64(const uint8_t* p) {
  uint64_t v;
  memcpy(&v, p, 8);
  return v;
}

uint16_t Load16(const uint8_t* p) {
  uint16_t v;
  memcpy(&v, p, 2);
  return v;
}

uint32_t Load32(const uint8_t* p) {
  uint32_t v;
  memcpy(&v, p, 4);
  return v;
}

// A word at a time: this runs for every SQE a tracking ring submits (16
// bytes, or 80 on an SQE128 ring; always a multiple of 8).
bool AllZero(const uint8_t* p, size_t n) {
  uint64_t any = 0;
  size_t i = 0;
  for (; i + 8 <= n; i += 8) any |= Load64(p + i);
  for (; i < n; i++) any |= p[i];
  return any == 0;
}

// IORING_OP_FTRUNCATE came with linux 6.9, after these headers.
constexpr uint8_t kOpFtruncate = 55;
constexpr uint32_t kStatxSize = 256;    // sizeof(struct statx)
constexpr uint32_t kTimespecSize = 16;  // sizeof(struct __kernel_timespec)

// A READV or WRITEV's `count` iovecs at `addr`: copied once out of pinned
// memory (JavaScript can rewrite that memory at any time, so only the copy
// is checked and used), each entry of non-zero length wholly inside one
// pinned block of the ring's thread. The copy and the blocks wait in the
// ring's staging vectors for TokenizeSqe.
bool StageIovecs(RingState& ring, uint64_t addr, uint32_t count) {
  RingOps& ops = *ring.ops;
  return CopyIovecsFromPinned(ring.env, addr, count, &ops.iov_stage, &ops.iov_block_stage);
}

// A NUL-terminated path wholly inside one pinned block of the ring's thread.
PinnedBlock* PinnedPath(RingState& ring, uint64_t addr) {
  PinnedBlock* block = FindPinned(ring.env, addr, 1);
  if (block == nullptr) return nullptr;
  uint64_t end = reinterpret_cast<uintptr_t>(block->base) + block->len;
  const void* p = reinterpret_cast<const void*>(static_cast<uintptr_t>(addr));
  return memchr(p, 0, end - addr) != nullptr ? block : nullptr;
}

// `len` bytes at `addr` wholly inside one pinned block of the ring's thread.
PinnedBlock* PinnedRange(RingState& ring, uint64_t addr, uint64_t len) {
  return FindPinned(ring.env, addr, len);
}

// Names the target of a cancel or remove by the token sys gave it.
void TranslateTarget(RingState& ring, uint8_t* field) {
  uint64_t token = TargetToken(ring, Load64(field));
  memcpy(field, &token, 8);
}

// The SQE check of a ring that tracks operations (ring_ops.h). Every
// address an SQE carries must lie inside pinned memory of this thread (the
// blocks go into `*memory`, held until the operation's own completion), and
// bytes 48 on (addr3, the PI metadata pointer of linux 6.14, the SQE128
// command area) must be zero. A READV or WRITEV is made to point at sys's
// own copy of its iovec array (StageIovecs, TokenizeSqe), so the kernel
// never reads an array JavaScript can change, whenever it imports it (at
// submission from linux 5.5's SUBMIT_STABLE; a copy costs less than
// proving that for every path). Only the opcodes below pass; whatever else
// carries a pointer sys has not checked is refused. A cancel or remove that
// names its target by user_data has the name turned into the target's
// token. No SQE may skip its success CQE or pick a provided buffer: sys must
// see each operation's own completion.
bool AllowTracked(RingState& ring, uint8_t* sqe, SqeMemory* memory) {
  if (sqe[1] & (IOSQE_CQE_SKIP_SUCCESS | IOSQE_BUFFER_SELECT)) return false;
  if (!AllZero(sqe + 48, ring.sqe_size - 48)) return false;
  uint64_t addr = Load64(sqe + 16);
  uint64_t addr2 = Load64(sqe + 8);  // `off` is a second pointer for STATX, RENAMEAT, LINKAT, SYMLINKAT, TIMEOUT updates
  uint32_t len = Load32(sqe + 24);
  switch (sqe[0]) {
    case IORING_OP_READ:
    case IORING_OP_WRITE:
      if (Load32(sqe + 40) != 0) return false;  // buf_index, personality: none for plain reads
      // Zero bytes: the kernel touches no memory (read(2) and write(2) of
      // nothing), so none is held; the fd's own answer comes back (0,
      // EBADF, ...), as the emulation's direct syscall gives it.
      if (len == 0) return true;
      memory->blocks[0] = PinnedRange(ring, addr, len);
      return memory->blocks[0] != nullptr;
    case IORING_OP_READV:
    case IORING_OP_WRITEV:
      if (Load32(sqe + 40) != 0) return false;  // buf_index, personality
      memory->vectored = StageIovecs(ring, addr, len);
      return memory->vectored;
    case IORING_OP_READ_FIXED:
    case IORING_OP_WRITE_FIXED: {
      // The buffer must lie inside the registered block its index names;
      // the operation holds that block too, in case it is unregistered
      // while the operation is in flight.
      uint16_t index;
      memcpy(&index, sqe + 40, 2);
      if (Load16(sqe + 42) != 0 || Load32(sqe + 44) != 0) return false;
      const auto& fixed = ring.ops->fixed;
      if (index >= fixed.size()) return false;
      PinnedBlock* b = fixed[index];
      uint64_t base = reinterpret_cast<uintptr_t>(b->base);
      if (len == 0 || addr < base || addr + len < addr || addr + len > base + b->len) return false;
      memory->blocks[0] = b;
      return true;
    }
    case IORING_OP_OPENAT:
    case IORING_OP_UNLINKAT:
    case IORING_OP_MKDIRAT:
      memory->blocks[0] = PinnedPath(ring, addr);
      return memory->blocks[0] != nullptr;
    case IORING_OP_STATX:
      memory->blocks[0] = PinnedPath(ring, addr);
      memory->blocks[1] = PinnedRange(ring, addr2, kStatxSize);
      return memory->blocks[0] != nullptr && memory->blocks[1] != nullptr;
    case IORING_OP_RENAMEAT:
    case IORING_OP_LINKAT:     // the existing path, then the new one
    case IORING_OP_SYMLINKAT:  // the link's target, then its path
      memory->blocks[0] = PinnedPath(ring, addr);
      memory->blocks[1] = PinnedPath(ring, addr2);
      return memory->blocks[0] != nullptr && memory->blocks[1] != nullptr;
    case IORING_OP_TIMEOUT:
    case IORING_OP_LINK_TIMEOUT:
      memory->blocks[0] = PinnedRange(ring, addr, kTimespecSize);
      return memory->blocks[0] != nullptr;
    case IORING_OP_TIMEOUT_REMOVE:
      if (Load32(sqe + 28) & IORING_TIMEOUT_UPDATE_MASK) {
        memory->blocks[0] = PinnedRange(ring, addr2, kTimespecSize);
        if (memory->blocks[0] == nullptr) return false;
      }
      TranslateTarget(ring, sqe + 16);
      return true;
    case IORING_OP_ASYNC_CANCEL:
      if ((Load32(sqe + 28) & (IORING_ASYNC_CANCEL_FD | IORING_ASYNC_CANCEL_ANY)) == 0) {
        TranslateTarget(ring, sqe + 16);
      }
      return true;
    case IORING_OP_POLL_REMOVE:
      if (len & IORING_POLL_UPDATE_USER_DATA) return false;  // would rename a tracked operation
      TranslateTarget(ring, sqe + 16);
      return true;
    // No pointers: fds, offsets, lengths and flags only.
    case IORING_OP_NOP:
    case IORING_OP_FSYNC:
    case IORING_OP_POLL_ADD:
    case IORING_OP_SYNC_FILE_RANGE:
    case IORING_OP_FALLOCATE:  // its `addr` is the length, not an address
    case IORING_OP_CLOSE:
    case IORING_OP_FADVISE:
    case IORING_OP_SPLICE:
    case IORING_OP_TEE:
    case IORING_OP_SHUTDOWN:
    case kOpFtruncate:
      return true;
    default:
      return false;
  }
}

}  // namespace

uint32_t CheckPendingSqes(RingState& ring, uint32_t to_submit) {
  if (to_submit == 0 || ring.sq_ring.addr == nullptr || ring.sqes.addr == nullptr) return 0;
  const auto& o = ring.sq_off;
  uint8_t* sq = ring.sq_ring.addr;
  // The kernel starts from its own head, which sys recorded after the last
  // enter; the shared copy may have been rewritten since.
  uint32_t head = ring.sq_head;
  uint32_t tail = __atomic_load_n(reinterpret_cast<uint32_t*>(sq + o.tail), __ATOMIC_ACQUIRE);
  uint32_t mask = ring.sq_entries - 1;
  uint32_t pending = tail - head;
  if (pending > ring.sq_entries) pending = ring.sq_entries;  // a bogus tail: the kernel clamps too
  if (pending > to_submit) pending = to_submit;
  bool has_array = (ring.flags & (1U << 16) /* IORING_SETUP_NO_SQARRAY */) == 0;
  const uint32_t* array = reinterpret_cast<const uint32_t*>(sq + o.array);
  // On a tracking ring, an SQE index the array names more than once in
  // this submission is one SQE the kernel consumes several times: it is
  // refused, and tokenized once (each consumption carries that token; the
  // first CQE ends the slot, the others are ignored).
  uint32_t once = 0, twice = 0, handled = 0;
  // The array is the identity (IoUring sets it so and never changes it)
  // unless JavaScript rewrote it. Over at most sq_entries consecutive
  // slots the identity names each SQE once: the pass below is only needed
  // when some entry differs.
  bool dedup = false;
  if (ring.ops != nullptr && has_array) {
    for (uint32_t i = 0; i < pending; i++) {
      uint32_t slot = (head + i) & mask;
      if (__atomic_load_n(&array[slot], __ATOMIC_RELAXED) != slot) {
        dedup = true;
        break;
      }
    }
  }
  if (dedup) {
    RingOps& ops = *ring.ops;
    if (ops.seen.size() != ring.sq_entries) ops.seen.assign(ring.sq_entries, 0);
    ops.pass += 3;
    once = ops.pass;
    twice = once + 1;
    handled = once + 2;
    for (uint32_t i = 0; i < pending; i++) {
      uint32_t index = __atomic_load_n(&array[(head + i) & mask], __ATOMIC_RELAXED);
      if (index >= ring.sq_entries) continue;
      uint32_t& seen = ops.seen[index];
      seen = (seen == once || seen == twice) ? twice : once;
    }
  }
  for (uint32_t i = 0; i < pending; i++) {
    uint32_t slot = (head + i) & mask;
    uint32_t index = has_array ? __atomic_load_n(&array[slot], __ATOMIC_RELAXED) : slot;
    if (index >= ring.sq_entries) continue;  // the kernel skips it and counts it in `dropped`
    uint8_t* sqe = ring.sqes.addr + static_cast<size_t>(index) * ring.sqe_size;
    if (ring.ops != nullptr) {
      if (dedup && ring.ops->seen[index] == handled) continue;
      SqeMemory memory;
      bool duplicate = dedup && ring.ops->seen[index] == twice;
      if (duplicate) ring.ops->seen[index] = handled;
      if (duplicate || !AllowTracked(ring, sqe, &memory)) {
        Refuse(sqe, ring.sqe_size);
        memory = SqeMemory();
      }
      TokenizeSqe(ring, sqe, memory, i);
    } else if (!AllowedOpcode(sqe[0])) {
      Refuse(sqe, ring.sqe_size);
    }
  }
  return pending;
}

void NoteSqHead(RingState& ring, uint32_t pending, long result) {
  // Nothing was given, or the enter failed before submitting: the kernel
  // did not move its head, and the shared copy may still hold whatever
  // JavaScript wrote there.
  if (pending == 0 || result < 0 || ring.sq_ring.addr == nullptr) return;
  // The kernel went through submission, which always ends by storing its
  // head (consumed SQEs, a dropped bad index included) into the ring.
  uint32_t head =
      __atomic_load_n(reinterpret_cast<uint32_t*>(ring.sq_ring.addr + ring.sq_off.head), __ATOMIC_ACQUIRE);
  uint32_t moved = head - ring.sq_head;
  ring.sq_head = moved <= pending ? head : ring.sq_head + static_cast<uint32_t>(result);
}

}  // namespace evring
