// io_uring: setup, mmap of the ring regions as ArrayBuffers, enter, register.
//
// The layers above write SQEs straight into the mapped SQE array. Because an
// SQE can tell the kernel to write to any user address, sys keeps its own
// private mapping of each ring's SQ ring and SQE array and, in
// io_uring_enter, checks every SQE about to be submitted: opcodes that make
// the kernel write through a user pointer (READ, RECV, ACCEPT, STATX, ...)
// or change memory (MADVISE, provided buffers) are rewritten into a request
// that fails with -EINVAL under the same user_data. Readiness, timeouts,
// cancellation, writes and closes pass untouched. SQPOLL and NO_MMAP are
// refused at setup: a kernel thread, or memory sys did not map, would escape
// that check.
#include <linux/io_uring.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <mutex>
#include <unordered_map>

#include "common.h"
#include "mapping.h"

#ifndef IORING_SETUP_NO_MMAP
#define IORING_SETUP_NO_MMAP (1U << 14)
#endif
#ifndef IORING_SETUP_REGISTERED_FD_ONLY
#define IORING_SETUP_REGISTERED_FD_ONLY (1U << 15)
#endif
#ifndef IORING_SETUP_NO_SQARRAY
#define IORING_SETUP_NO_SQARRAY (1U << 16)
#endif
#ifndef IORING_REGISTER_USE_REGISTERED_RING
#define IORING_REGISTER_USE_REGISTERED_RING (1U << 31)
#endif
#ifndef IORING_REGISTER_CLOCK
#define IORING_REGISTER_CLOCK 29
#endif

namespace evring {

namespace {

struct Ring {
  int fd;
  uint32_t flags;
  uint32_t sq_entries;
  uint32_t sqe_size;
  struct io_sqring_offsets sq_off;
  // sys's private mappings, used only to validate SQEs before submission.
  uint8_t* sq_ring = nullptr;
  size_t sq_ring_len = 0;
  uint8_t* sqes = nullptr;
  size_t sqes_len = 0;
  // The most each region may be mapped with: newer kernels accept a longer
  // mmap but back only the ring's own pages, so touching the rest would fault.
  size_t max_sq_ring = 0;
  size_t max_cq_ring = 0;
  size_t max_sqes = 0;

  ~Ring() {
    if (sq_ring != nullptr) Count(kMunmap), munmap(sq_ring, sq_ring_len);
    if (sqes != nullptr) Count(kMunmap), munmap(sqes, sqes_len);
  }
};

std::mutex& Mutex() {
  static std::mutex* m = new std::mutex();
  return *m;
}

std::unordered_map<int, std::shared_ptr<Ring>>& Rings() {
  static auto* rings = new std::unordered_map<int, std::shared_ptr<Ring>>();
  return *rings;
}

// Registered ring indexes belong to the registering task (thread).
thread_local std::unordered_map<uint32_t, int> t_registered_rings;

std::shared_ptr<Ring> FindRing(int fd) {
  std::lock_guard<std::mutex> lock(Mutex());
  auto it = Rings().find(fd);
  return it == Rings().end() ? nullptr : it->second;
}

// Opcodes whose kernel side never writes through a user pointer taken from
// the SQE, nor changes process memory. Everything else is rejected.
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
    case IORING_OP_MSG_RING:
      return true;
    default:
      return false;
  }
}

// Turns the SQE into a TIMEOUT with len 0, which every kernel since 5.4
// rejects with -EINVAL at prep time: same user_data, same link flags.
void RejectSqe(uint8_t* sqe, uint32_t sqe_size) {
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

// Checks the SQEs the kernel will consume on this enter.
void ValidatePending(Ring& ring, uint32_t to_submit) {
  if (ring.sq_ring == nullptr || ring.sqes == nullptr || to_submit == 0) return;
  const auto& o = ring.sq_off;
  uint32_t head = __atomic_load_n(reinterpret_cast<uint32_t*>(ring.sq_ring + o.head), __ATOMIC_ACQUIRE);
  uint32_t tail = __atomic_load_n(reinterpret_cast<uint32_t*>(ring.sq_ring + o.tail), __ATOMIC_ACQUIRE);
  uint32_t mask = ring.sq_entries - 1;
  uint32_t pending = tail - head;
  if (pending > ring.sq_entries) pending = ring.sq_entries;  // a bogus tail: the kernel clamps too
  if (pending > to_submit) pending = to_submit;
  bool has_array = (ring.flags & IORING_SETUP_NO_SQARRAY) == 0;
  const uint32_t* array = reinterpret_cast<const uint32_t*>(ring.sq_ring + o.array);
  for (uint32_t i = 0; i < pending; i++) {
    uint32_t slot = (head + i) & mask;
    uint32_t index = has_array ? __atomic_load_n(&array[slot], __ATOMIC_RELAXED) : slot;
    if (index >= ring.sq_entries) continue;  // the kernel skips it and counts it in `dropped`
    uint8_t* sqe = ring.sqes + static_cast<size_t>(index) * ring.sqe_size;
    if (!AllowedOpcode(sqe[0])) RejectSqe(sqe, ring.sqe_size);
  }
}

size_t SqRingLength(const struct io_uring_params& p) {
  const auto& o = p.sq_off;
  size_t len = 0;
  for (uint32_t off : {o.head, o.tail, o.ring_mask, o.ring_entries, o.flags, o.dropped}) {
    if (off + 4u > len) len = off + 4u;
  }
  if ((p.flags & IORING_SETUP_NO_SQARRAY) == 0) {
    size_t end = static_cast<size_t>(o.array) + static_cast<size_t>(p.sq_entries) * 4;
    if (end > len) len = end;
  }
  return len;
}

}  // namespace

void ForgetRingFd(int fd) {
  std::shared_ptr<Ring> gone;
  {
    std::lock_guard<std::mutex> lock(Mutex());
    auto it = Rings().find(fd);
    if (it == Rings().end()) return;
    gone = std::move(it->second);
    Rings().erase(it);
  }
  for (auto it = t_registered_rings.begin(); it != t_registered_rings.end();) {
    if (it->second == fd) it = t_registered_rings.erase(it);
    else ++it;
  }
}

// ioUringSetup(entries, params): params is a 120-byte io_uring_params the
// kernel fills back. Returns the ring fd; throws on failure.
static Napi::Value IoUringSetup(const Napi::CallbackInfo& info) {
  const char* usage = "ioUringSetup(entries: number, params: io_uring_params bytes (120))";
  Napi::Env env = info.Env();
  uint32_t entries = static_cast<uint32_t>(ArgInt(info, 0, usage, 1, 1 << 20));
  Bytes pb = ArgBytes(info, 1, usage);
  if (pb.length < sizeof(struct io_uring_params)) ThrowRange(env, usage, "params needs 120 bytes");
  struct io_uring_params p;
  memcpy(&p, pb.data, sizeof p);
  if (p.flags & IORING_SETUP_SQPOLL) {
    ThrowRange(env, usage, "IORING_SETUP_SQPOLL is not supported: a kernel thread would read SQEs sys cannot check");
  }
  if (p.flags & (IORING_SETUP_NO_MMAP | IORING_SETUP_REGISTERED_FD_ONLY)) {
    ThrowRange(env, usage, "IORING_SETUP_NO_MMAP and REGISTERED_FD_ONLY are not supported");
  }
  Count(kIoUringSetup);
  int fd = static_cast<int>(syscall(__NR_io_uring_setup, entries, &p));
  if (fd < 0) ThrowErrno(env, errno, "io_uring_setup");

  auto ring = std::make_shared<Ring>();
  ring->fd = fd;
  ring->flags = p.flags;
  ring->sq_entries = p.sq_entries;
  ring->sqe_size = (p.flags & IORING_SETUP_SQE128) ? 128 : 64;
  ring->sq_off = p.sq_off;
  ring->sq_ring_len = SqRingLength(p);
  ring->sqes_len = static_cast<size_t>(p.sq_entries) * ring->sqe_size;
  size_t page = static_cast<size_t>(sysconf(_SC_PAGESIZE));
  auto page_up = [page](size_t n) { return (n + page - 1) / page * page; };
  size_t cqe_size = (p.flags & IORING_SETUP_CQE32) ? 32 : 16;
  size_t cq_len = static_cast<size_t>(p.cq_off.cqes) + static_cast<size_t>(p.cq_entries) * cqe_size;
  if (p.features & IORING_FEAT_SINGLE_MMAP) {
    ring->max_sq_ring = ring->max_cq_ring = page_up(std::max(ring->sq_ring_len, cq_len));
  } else {
    ring->max_sq_ring = page_up(ring->sq_ring_len);
    ring->max_cq_ring = page_up(cq_len);
  }
  ring->max_sqes = page_up(ring->sqes_len);
  Count(kMmap);
  void* sq = mmap(nullptr, ring->sq_ring_len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, fd,
                  IORING_OFF_SQ_RING);
  Count(kMmap);
  void* sqes = mmap(nullptr, ring->sqes_len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, fd,
                    IORING_OFF_SQES);
  if (sq == MAP_FAILED || sqes == MAP_FAILED) {
    int err = errno;
    if (sq != MAP_FAILED) munmap(sq, ring->sq_ring_len);
    if (sqes != MAP_FAILED) munmap(sqes, ring->sqes_len);
    close(fd);
    ThrowErrno(env, err, "mmap", "io_uring ring");
  }
  ring->sq_ring = static_cast<uint8_t*>(sq);
  ring->sqes = static_cast<uint8_t*>(sqes);
  std::shared_ptr<Ring> replaced;
  {
    std::lock_guard<std::mutex> lock(Mutex());
    replaced = std::move(Rings()[fd]);  // a stale entry whose fd was closed behind sys's back
    Rings()[fd] = ring;
  }
  memcpy(pb.data, &p, sizeof p);
  return Napi::Number::New(env, fd);
}

// ioUringMmap(fd, offset, length): maps a ring region shared with the kernel
// (IORING_OFF_SQ_RING, IORING_OFF_CQ_RING or IORING_OFF_SQES).
static Napi::Value IoUringMmap(const Napi::CallbackInfo& info) {
  const char* usage =
      "ioUringMmap(fd: number, offset: IORING_OFF_SQ_RING | IORING_OFF_CQ_RING | IORING_OFF_SQES, length: number)";
  Napi::Env env = info.Env();
  int fd = ArgFd(info, 0, usage);
  int64_t offset = ArgInt(info, 1, usage, 0, int64_t{1} << 32);
  size_t length = static_cast<size_t>(ArgInt(info, 2, usage, 1, int64_t{1} << 30));
  if (offset != static_cast<int64_t>(IORING_OFF_SQ_RING) && offset != static_cast<int64_t>(IORING_OFF_CQ_RING) &&
      offset != static_cast<int64_t>(IORING_OFF_SQES)) {
    ThrowRange(env, usage, "offset must be IORING_OFF_SQ_RING, IORING_OFF_CQ_RING or IORING_OFF_SQES");
  }
  // Only rings made by ioUringSetup: mapping an arbitrary file could SIGBUS on access.
  std::shared_ptr<Ring> ring = FindRing(fd);
  if (!ring) ThrowErrno(env, EBADF, "mmap", "fd " + std::to_string(fd) + " is not an io_uring made by ioUringSetup");
  size_t max = offset == static_cast<int64_t>(IORING_OFF_SQ_RING)   ? ring->max_sq_ring
               : offset == static_cast<int64_t>(IORING_OFF_CQ_RING) ? ring->max_cq_ring
                                                                     : ring->max_sqes;
  if (length > max) {
    ThrowRange(env, usage, "length " + std::to_string(length) + " exceeds the region's " + std::to_string(max) + " bytes");
  }
  Count(kMmap);
  void* addr = mmap(nullptr, length, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, fd, offset);
  if (addr == MAP_FAILED) ThrowErrno(env, errno, "mmap");
  return NewExternal(env, addr, length, [addr, length]() {
    Count(kMunmap);
    munmap(addr, length);
  });
}

// munmap(ab): detaches the buffer, then unmaps it. Returns false when the
// buffer was already released (idempotent); throws for a foreign buffer.
static Napi::Value Munmap(const Napi::CallbackInfo& info) {
  const char* usage = "munmap(buffer: ArrayBuffer returned by ioUringMmap)";
  if (info.Length() < 1 || !info[0].IsArrayBuffer()) ThrowType(info.Env(), usage, "argument 1 must be an ArrayBuffer");
  Napi::ArrayBuffer ab = info[0].As<Napi::ArrayBuffer>();
  if (ab.Data() == nullptr) return Napi::Boolean::New(info.Env(), false);
  if (!ReleaseExternal(info.Env(), ab)) {
    ThrowType(info.Env(), usage, "the buffer was not mapped by @evring/sys");
  }
  return Napi::Boolean::New(info.Env(), true);
}

// ioUringEnter(fd, toSubmit, minComplete, flags, timeoutMs?, minWaitUsec?)
// Returns the count or -errno. With IORING_ENTER_EXT_ARG, timeoutMs >= 0
// bounds the wait (a __kernel_timespec built here, never a JS pointer).
static Napi::Value IoUringEnter(const Napi::CallbackInfo& info) {
  const char* usage =
      "ioUringEnter(fd: number, toSubmit: number, minComplete: number, flags: number, timeoutMs?: number, minWaitUsec?: number)";
  Napi::Env env = info.Env();
  int fd = ArgFd(info, 0, usage);
  uint32_t to_submit = ArgU32(info, 1, usage);
  uint32_t min_complete = ArgU32(info, 2, usage);
  uint32_t flags = ArgU32(info, 3, usage);
  double timeout = ArgTimeoutMs(info, 4, usage);
  uint32_t min_wait = info.Length() > 5 && !info[5].IsUndefined() ? ArgU32(info, 5, usage) : 0;
  if (timeout >= 0 && !(flags & IORING_ENTER_EXT_ARG)) {
    ThrowRange(env, usage, "a timeout needs IORING_ENTER_EXT_ARG in flags");
  }
  int ring_fd = fd;
  if (flags & IORING_ENTER_REGISTERED_RING) {
    auto it = t_registered_rings.find(static_cast<uint32_t>(fd));
    if (it == t_registered_rings.end()) return Napi::Number::New(env, -EBADF);
    ring_fd = it->second;
  }
  std::shared_ptr<Ring> ring = FindRing(ring_fd);
  if (!ring) return Napi::Number::New(env, -EBADF);
  ValidatePending(*ring, to_submit);

  struct __kernel_timespec ts;
  struct io_uring_getevents_arg arg;
  void* argp = nullptr;
  size_t argsz = _NSIG / 8;
  if (flags & IORING_ENTER_EXT_ARG) {
    memset(&arg, 0, sizeof arg);
    if (timeout >= 0) {
      double sec = std::floor(timeout / 1000);
      ts.tv_sec = static_cast<long long>(sec);
      ts.tv_nsec = static_cast<long long>(std::llround((timeout - sec * 1000) * 1e6));
      if (ts.tv_nsec >= 1000000000) {
        ts.tv_sec += 1;
        ts.tv_nsec -= 1000000000;
      }
      arg.ts = reinterpret_cast<uint64_t>(&ts);
    }
    arg.pad = min_wait;  // min_wait_usec on linux 6.12+
    argp = &arg;
    argsz = sizeof arg;
  }
  Count(kIoUringEnter);
  long r = syscall(__NR_io_uring_enter, fd, to_submit, min_complete, flags, argp, argsz);
  return Napi::Number::New(env, r < 0 ? -errno : static_cast<double>(r));
}

// ioUringRegister(fd, opcode, arg, nrArgs): only opcodes whose argument is a
// plain array of values (no user pointers inside) are accepted.
static Napi::Value IoUringRegister(const Napi::CallbackInfo& info) {
  const char* usage = "ioUringRegister(fd: number, opcode: number, arg: ArrayBufferView | null, nrArgs: number)";
  Napi::Env env = info.Env();
  int fd = ArgFd(info, 0, usage);
  uint32_t opcode_full = ArgU32(info, 1, usage);
  uint32_t opcode = opcode_full & ~IORING_REGISTER_USE_REGISTERED_RING;
  Bytes arg{nullptr, 0};
  if (info.Length() > 2 && !info[2].IsNull() && !info[2].IsUndefined()) arg = ArgBytes(info, 2, usage);
  uint32_t nr = ArgU32(info, 3, usage);
  size_t need = 0;
  bool needs_arg = true;
  switch (opcode) {
    case IORING_REGISTER_PROBE:
      if (nr > 256) ThrowRange(env, usage, "a probe has at most 256 ops");
      need = sizeof(struct io_uring_probe) + nr * sizeof(struct io_uring_probe_op);
      break;
    case IORING_REGISTER_EVENTFD:
    case IORING_REGISTER_EVENTFD_ASYNC:
      if (nr != 1) ThrowRange(env, usage, "nrArgs must be 1");
      need = 4;
      break;
    case IORING_REGISTER_FILES:
      need = static_cast<size_t>(nr) * 4;
      break;
    case IORING_REGISTER_RING_FDS:
    case IORING_UNREGISTER_RING_FDS:
      if (nr == 0 || nr > 16) ThrowRange(env, usage, "nrArgs must be 1..16");
      need = static_cast<size_t>(nr) * sizeof(struct io_uring_rsrc_update);
      break;
    case IORING_REGISTER_IOWQ_MAX_WORKERS:
      if (nr != 2) ThrowRange(env, usage, "nrArgs must be 2");
      need = 8;
      break;
    case IORING_REGISTER_RESTRICTIONS:
      need = static_cast<size_t>(nr) * sizeof(struct io_uring_restriction);
      break;
    case IORING_REGISTER_SYNC_CANCEL:
      if (nr != 1) ThrowRange(env, usage, "nrArgs must be 1");
      need = sizeof(struct io_uring_sync_cancel_reg);
      break;
    case IORING_REGISTER_CLOCK:
      need = 16;
      break;
    case IORING_UNREGISTER_EVENTFD:
    case IORING_UNREGISTER_FILES:
    case IORING_REGISTER_ENABLE_RINGS:
    case IORING_REGISTER_PERSONALITY:
      needs_arg = false;
      break;
    case IORING_UNREGISTER_PERSONALITY:
      needs_arg = false;  // the personality id travels in nrArgs
      break;
    default:
      ThrowRange(env, usage,
                 "opcode " + std::to_string(opcode) + " is not supported: its argument carries user pointers");
  }
  if (needs_arg) {
    if (arg.data == nullptr || arg.length < need) {
      ThrowRange(env, usage, "arg needs at least " + std::to_string(need) + " bytes for this opcode");
    }
  } else {
    arg.data = nullptr;
  }
  Count(kIoUringRegister);
  long r = syscall(__NR_io_uring_register, fd, opcode_full, arg.data, nr);
  if (r < 0) ThrowErrno(env, errno, "io_uring_register");
  if (opcode == IORING_REGISTER_RING_FDS || opcode == IORING_UNREGISTER_RING_FDS) {
    auto* updates = reinterpret_cast<struct io_uring_rsrc_update*>(arg.data);
    for (long i = 0; i < r; i++) {
      if (opcode == IORING_REGISTER_RING_FDS) {
        t_registered_rings[updates[i].offset] = static_cast<int>(updates[i].data);
      } else {
        t_registered_rings.erase(updates[i].offset);
      }
    }
  }
  return Napi::Number::New(env, static_cast<double>(r));
}

// pinnedAlloc(size) -> { buffer, address }: sys-owned, zeroed, 64-byte
// aligned memory whose user address JS may place in SQEs the kernel only
// reads through (a TIMEOUT's __kernel_timespec). Freed by pinnedFree or when
// the buffer is collected; pinnedFree detaches the buffer first.
static Napi::Value PinnedAlloc(const Napi::CallbackInfo& info) {
  const char* usage = "pinnedAlloc(size: number (1 .. 1 MiB))";
  Napi::Env env = info.Env();
  size_t size = static_cast<size_t>(ArgInt(info, 0, usage, 1, 1 << 20));
  size_t rounded = (size + 63) / 64 * 64;
  void* mem = std::aligned_alloc(64, rounded);
  if (mem == nullptr) ThrowErrno(env, ENOMEM, "pinnedAlloc");
  memset(mem, 0, rounded);
  Napi::Object out = Napi::Object::New(env);
  out.Set("buffer", NewExternal(env, mem, size, [mem]() { std::free(mem); }));
  out.Set("address", Napi::Number::New(env, static_cast<double>(reinterpret_cast<uintptr_t>(mem))));
  return out;
}

static Napi::Value PinnedFree(const Napi::CallbackInfo& info) {
  const char* usage = "pinnedFree(buffer: ArrayBuffer from pinnedAlloc)";
  if (info.Length() < 1 || !info[0].IsArrayBuffer()) ThrowType(info.Env(), usage, "argument 1 must be an ArrayBuffer");
  Napi::ArrayBuffer ab = info[0].As<Napi::ArrayBuffer>();
  if (ab.Data() == nullptr) return Napi::Boolean::New(info.Env(), false);
  if (!ReleaseExternal(info.Env(), ab)) ThrowType(info.Env(), usage, "the buffer was not allocated by pinnedAlloc");
  return Napi::Boolean::New(info.Env(), true);
}

void InitIoUring(Napi::Env env, Napi::Object exports) {
  exports.Set("pinnedAlloc", Napi::Function::New(env, PinnedAlloc));
  exports.Set("pinnedFree", Napi::Function::New(env, PinnedFree));
  exports.Set("ioUringSetup", Napi::Function::New(env, IoUringSetup));
  exports.Set("ioUringMmap", Napi::Function::New(env, IoUringMmap));
  exports.Set("munmap", Napi::Function::New(env, Munmap));
  exports.Set("ioUringEnter", Napi::Function::New(env, IoUringEnter));
  exports.Set("ioUringRegister", Napi::Function::New(env, IoUringRegister));
}

}  // namespace evring
