// io_uring: a ring is a resource sys owns, named in JavaScript by a handle
// (handles.h), never by its fd number.
//
// ringSetup makes the ring, keeps a private duplicate of its fd (the ring's
// identity; JavaScript never sees that number), maps the regions twice (once
// for JavaScript as ArrayBuffers, once privately for the SQE check), and
// registers the ring with IORING_REGISTER_RING_FDS (linux 5.18) so that
// io_uring_enter reaches it through a slot the kernel holds rather than
// through any fd number. ringEnter checks every SQE about to be consumed
// (sqe_check.cc) and enters through that slot, or the private duplicate.
// The public fd is for polling only: closing it behind sys's back costs the
// poller its wake-ups and nothing else, and ringClose closes it only while it
// still names the ring.
//
// A ring belongs to the thread (Node environment) that made it: handles are
// per thread, the ArrayBuffers are untransferable, a registered slot belongs
// to the registering thread, and the environment's shutdown closes whatever
// it left open.
#include <fcntl.h>
#include <sys/uio.h>
#include <linux/io_uring.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <string>
#include <vector>

#include "common.h"
#include "direct_call.h"
#include "handles.h"
#include "identity.h"
#include "mapping.h"
#include "pinned.h"
#include "ring.h"
#include "ring_ops.h"
#include "sqe_check.h"

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
#ifndef IORING_ENTER_ABS_TIMER
#define IORING_ENTER_ABS_TIMER (1U << 5)
#endif

namespace evring {

namespace {

// The setup flags sys knows to be safe. Refused: SQPOLL (a kernel thread
// would read SQEs sys never checks), IOPOLL (polled O_DIRECT I/O only, and
// its rings answer refused SQEs differently), ATTACH_WQ (names another ring
// by fd number), SQ_AFF (SQPOLL only), NO_MMAP and REGISTERED_FD_ONLY
// (memory and fds sys did not make), and anything newer than this list.
constexpr uint32_t kSetupAllowed = IORING_SETUP_CQSIZE | IORING_SETUP_CLAMP | IORING_SETUP_R_DISABLED |
                                   IORING_SETUP_SUBMIT_ALL | IORING_SETUP_COOP_TASKRUN |
                                   IORING_SETUP_TASKRUN_FLAG | IORING_SETUP_SQE128 | IORING_SETUP_CQE32 |
                                   IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN |
                                   IORING_SETUP_NO_SQARRAY;

// Enter flags JavaScript may pass. REGISTERED_RING is sys's own business
// (it is stripped and decided here); EXT_ARG's argument is built here.
constexpr uint32_t kEnterAllowed = IORING_ENTER_GETEVENTS | IORING_ENTER_SQ_WAKEUP | IORING_ENTER_SQ_WAIT |
                                   IORING_ENTER_EXT_ARG | IORING_ENTER_REGISTERED_RING |
                                   IORING_ENTER_ABS_TIMER;

thread_local HandleTable<RingState> t_rings;

size_t SqRingLength(const struct io_uring_params& p) {
  const auto& o = p.sq_off;
  size_t len = 0;
  for (uint32_t off : {o.head, o.tail, o.ring_mask, o.ring_entries, o.flags, o.dropped}) {
    len = std::max(len, static_cast<size_t>(off) + 4);
  }
  if ((p.flags & IORING_SETUP_NO_SQARRAY) == 0) {
    len = std::max(len, static_cast<size_t>(o.array) + static_cast<size_t>(p.sq_entries) * 4);
  }
  return len;
}

size_t CqRingLength(const struct io_uring_params& p, size_t cqe_size) {
  return static_cast<size_t>(p.cq_off.cqes) + static_cast<size_t>(p.cq_entries) * cqe_size;
}

uint8_t* MapRegion(int fd, size_t len, off_t offset) {
  Count(kMmap);
  void* addr = mmap(nullptr, len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, fd, offset);
  return addr == MAP_FAILED ? nullptr : static_cast<uint8_t*>(addr);
}

void UnmapRegion(Region& r) {
  if (r.addr == nullptr) return;
  Count(kMunmap);
  munmap(r.addr, r.len);
  r.addr = nullptr;
}

// A region mapped for JavaScript: its own mapping, released with its buffer.
Napi::ArrayBuffer JsRegion(Napi::Env env, int fd, size_t len, off_t offset, napi_ref* weak) {
  uint8_t* addr = MapRegion(fd, len, offset);
  if (addr == nullptr) ThrowErrno(env, errno, "mmap", "io_uring ring region");
  Napi::ArrayBuffer ab = NewExternal(env, addr, len, ExternalKind::kRingRegion, [addr, len]() {
    Count(kMunmap);
    munmap(addr, len);
  });
  napi_create_reference(env, ab, 0, weak);
  return ab;
}

// IORING_REGISTER_RING_FDS: the slot the kernel picked, or -1 (pre-5.18, or
// the thread's 16 slots are taken).
int RegisterRing(int own_fd) {
  struct io_uring_rsrc_update update {};
  update.offset = static_cast<uint32_t>(-1);
  update.data = static_cast<uint64_t>(own_fd);
  Count(kIoUringRegister);
  long r = syscall(__NR_io_uring_register, own_fd, IORING_REGISTER_RING_FDS, &update, 1);
  return r == 1 ? static_cast<int>(update.offset) : -1;
}

// Releases what the ring holds. With `env_alive` the JavaScript buffers are
// detached and unmapped first; at environment shutdown they are left to
// their own finalizers, which unmap them.
void ReleaseRing(RingState* ring, napi_env env, bool env_alive) {
  if (ring->closed) return;
  ring->closed = true;
  // Operations holding pinned memory finish (or are cancelled) first; the
  // memory of any the kernel has not finished within a second is never freed.
  if (ring->ops != nullptr && ring->own_fd >= 0) DrainOps(*ring, 1000);
  for (napi_ref& ref : ring->js_regions) {
    if (ref == nullptr) continue;
    if (env_alive) ReleaseWeak(Napi::Env(env), ref, ExternalKind::kRingRegion);
    napi_delete_reference(env, ref);
    ref = nullptr;
  }
  if (ring->reg_index >= 0) {
    struct io_uring_rsrc_update update {};
    update.offset = static_cast<uint32_t>(ring->reg_index);
    Count(kIoUringRegister);
    syscall(__NR_io_uring_register, ring->own_fd, IORING_UNREGISTER_RING_FDS, &update, 1);
    ring->reg_index = -1;
  }
  UnmapRegion(ring->sq_ring);
  UnmapRegion(ring->sqes);
  if (ring->cq_ring_own) UnmapRegion(ring->cq_ring);
  ring->cq_ring.addr = nullptr;
  // The public number is closed only while it still names this ring: it may
  // have been closed behind sys's back and handed to someone else's file.
  if (ring->fd >= 0 && SameFile(ring->fd, ring->own_fd) == Same::kYes) {
    Count(kClose);
    close(ring->fd);
  }
  ring->fd = -1;
  if (ring->own_fd >= 0) {
    if (ring->ops != nullptr && !ring->ops->fixed.empty()) {
      // Unregister first: the kernel drops its page pins now, not at some
      // later point of its asynchronous ring teardown.
      Count(kIoUringRegister);
      if (syscall(__NR_io_uring_register, ring->own_fd, IORING_UNREGISTER_BUFFERS, nullptr, 0) == 0) {
        ReleaseFixedBuffers(*ring);
      } else {
        ring->ops->fixed.clear();  // still pinned by the kernel: the blocks are never freed
      }
    }
    Count(kClose);
    close(ring->own_fd);
    ring->own_fd = -1;
  }
}

void Forget(RingState* ring) {
  t_rings.Remove(ring->handle);
  delete ring->ops;
  delete ring;
}

RingState* FindRing(Napi::Env env, double handle) {
  RingState* ring = t_rings.Find(handle);
  return ring != nullptr && ring->env == static_cast<napi_env>(env) ? ring : nullptr;
}

RingState* ArgRing(const Napi::CallbackInfo& info, const char* usage, const char* syscall_name) {
  if (info.Length() < 1 || !info[0].IsNumber()) ThrowType(info.Env(), usage, "argument 1 must be a ring handle");
  RingState* ring = FindRing(info.Env(), info[0].As<Napi::Number>().DoubleValue());
  if (ring == nullptr) {
    ThrowErrno(info.Env(), EBADF, syscall_name, "not an open ring of this thread (closed, or made by another worker)");
  }
  return ring;
}

// ringSetup(entries, params, singleMmap, registerRing, holdOpenedFds) ->
// { handle, fd, sqRing, cqRing, sqes, registered }. params is a 120-byte
// io_uring_params the kernel fills back.
Napi::Value RingSetup(const Napi::CallbackInfo& info) {
  const char* usage =
      "ringSetup(entries: number, params: io_uring_params bytes (120), singleMmap: boolean, registerRing: boolean, holdOpenedFds: boolean)";
  Napi::Env env = info.Env();
  uint32_t entries = static_cast<uint32_t>(ArgInt(info, 0, usage, 1, 1 << 20));
  Bytes pb = ArgBytes(info, 1, usage);
  if (pb.length < sizeof(struct io_uring_params)) ThrowRange(env, usage, "params needs 120 bytes");
  bool single_wanted = ArgBool(info, 2, usage);
  bool register_wanted = ArgBool(info, 3, usage);
  bool hold_opened = ArgBool(info, 4, usage);
  struct io_uring_params p;
  memcpy(&p, pb.data, sizeof p);
  if (p.flags & ~kSetupAllowed) {
    char buf[96];
    snprintf(buf, sizeof buf, "setup flags 0x%x are not supported by @evring/sys", p.flags & ~kSetupAllowed);
    ThrowRange(env, usage, buf);
  }
  p.wq_fd = 0;  // ATTACH_WQ is refused: never an fd number from JavaScript

  Count(kIoUringSetup);
  int fd = static_cast<int>(syscall(__NR_io_uring_setup, entries, &p));
  if (fd < 0) ThrowErrno(env, errno, "io_uring_setup");

  auto* ring = new RingState();
  ring->env = env;
  ring->fd = fd;
  ring->flags = p.flags;
  ring->features = p.features;
  ring->sq_entries = p.sq_entries;
  ring->cq_entries = p.cq_entries;
  ring->sqe_size = (p.flags & IORING_SETUP_SQE128) ? 128 : 64;
  ring->cqe_size = (p.flags & IORING_SETUP_CQE32) ? 32 : 16;
  ring->sq_off = p.sq_off;
  ring->cq_off = p.cq_off;
  auto fail = [&](int err, const char* syscall_name, const char* what) {
    ReleaseRing(ring, env, true);
    delete ring->ops;
    delete ring;
    ThrowErrno(env, err, syscall_name, what);
  };
  int own = PrivateDup(fd);
  if (own < 0) fail(-own, "dup", "io_uring ring");
  ring->own_fd = own;

  size_t sq_len = SqRingLength(p);
  size_t cq_len = CqRingLength(p, ring->cqe_size);
  size_t sqes_len = static_cast<size_t>(p.sq_entries) * ring->sqe_size;
  bool single = single_wanted && (p.features & IORING_FEAT_SINGLE_MMAP) != 0;
  if (single) sq_len = std::max(sq_len, cq_len);
  ring->sq_ring.addr = MapRegion(own, sq_len, IORING_OFF_SQ_RING);
  ring->sq_ring.len = sq_len;
  ring->sqes.addr = MapRegion(own, sqes_len, IORING_OFF_SQES);
  ring->sqes.len = sqes_len;
  if (ring->sq_ring.addr == nullptr || ring->sqes.addr == nullptr) fail(errno, "mmap", "io_uring ring");
  if (p.flags & IORING_SETUP_DEFER_TASKRUN) {
    // Completions post only inside sys's own enters: sys tracks operations
    // and opens the opcodes that carry memory (ring_ops.h).
    if (single) {
      ring->cq_ring = ring->sq_ring;
    } else {
      ring->cq_ring.addr = MapRegion(own, cq_len, IORING_OFF_CQ_RING);
      ring->cq_ring.len = cq_len;
      ring->cq_ring_own = true;
      if (ring->cq_ring.addr == nullptr) fail(errno, "mmap", "io_uring ring");
    }
    ring->ops = new RingOps();
    ring->hold_opened = hold_opened;
    ring->ops->cq_tail = __atomic_load_n(reinterpret_cast<uint32_t*>(ring->cq_ring.addr + p.cq_off.tail), __ATOMIC_ACQUIRE);
  }

  Napi::Object out = Napi::Object::New(env);
  try {
    out.Set("sqRing", JsRegion(env, own, sq_len, IORING_OFF_SQ_RING, &ring->js_regions[0]));
    if (!single) out.Set("cqRing", JsRegion(env, own, cq_len, IORING_OFF_CQ_RING, &ring->js_regions[1]));
    out.Set("sqes", JsRegion(env, own, sqes_len, IORING_OFF_SQES, &ring->js_regions[2]));
  } catch (...) {
    ReleaseRing(ring, env, true);
    delete ring->ops;
    delete ring;
    throw;
  }
  if (register_wanted) ring->reg_index = RegisterRing(own);
  ring->handle = t_rings.Add(ring);
  if (ring->handle < 0) fail(EMFILE, "io_uring_setup", "too many rings in this thread");

  memcpy(pb.data, &p, sizeof p);
  out.Set("handle", Napi::Number::New(env, ring->handle));
  out.Set("fd", Napi::Number::New(env, fd));
  out.Set("registered", Napi::Boolean::New(env, ring->reg_index >= 0));
  return out;
}

// The timespec for EXT_ARG waits, from milliseconds.
void MsToTimespec(double ms, struct __kernel_timespec* ts) {
  if (ms > 1e15) ms = 1e15;  // about 31,000 years: forever, without overflowing
  double sec = std::floor(ms / 1000);
  ts->tv_sec = static_cast<long long>(sec);
  ts->tv_nsec = static_cast<long long>(std::llround((ms - sec * 1000) * 1e6));
  if (ts->tv_nsec >= 1000000000) {
    ts->tv_sec += 1;
    ts->tv_nsec -= 1000000000;
  }
}

// The enter itself, arguments already decoded. Returns the count or -errno.
long Enter(RingState* ring, uint32_t to_submit, uint32_t min_complete, uint32_t flags, double timeout,
           uint32_t min_wait) {
  flags &= ~static_cast<uint32_t>(IORING_ENTER_REGISTERED_RING);
  RestoreCqTail(*ring);
  uint32_t head_before = ring->sq_head;
  uint32_t pending = CheckPendingSqes(*ring, to_submit);
  struct __kernel_timespec ts;
  struct io_uring_getevents_arg arg;
  void* argp = nullptr;
  size_t argsz = _NSIG / 8;
  if (flags & IORING_ENTER_EXT_ARG) {
    memset(&arg, 0, sizeof arg);
    if (timeout >= 0) {
      MsToTimespec(timeout, &ts);
      arg.ts = reinterpret_cast<uint64_t>(&ts);
    }
    arg.pad = min_wait;  // min_wait_usec on linux 6.12+
    argp = &arg;
    argsz = sizeof arg;
  }
  int target = ring->own_fd;
  if (ring->reg_index >= 0) {
    target = ring->reg_index;
    flags |= IORING_ENTER_REGISTERED_RING;
  }
  Count(kIoUringEnter);
  long r = syscall(__NR_io_uring_enter, target, to_submit, min_complete, flags, argp, argsz);
  if (r < 0) r = -errno;
  NoteSqHead(*ring, pending, r);
  if (ring->ops != nullptr) {
    SettleTentative(*ring, ring->sq_head - head_before);
    ScanCqes(*ring);
  }
  return r;
}

// ringEnter(handle, toSubmit, minComplete, flags, timeoutMs?, minWaitUsec?):
// the count or -errno (-EBADF for a closed ring). With IORING_ENTER_EXT_ARG,
// timeoutMs >= 0 bounds the wait (a __kernel_timespec built here).
Napi::Value RingEnterChecked(const Napi::CallbackInfo& info) {
  const char* usage =
      "ringEnter(handle: number, toSubmit: number, minComplete: number, flags: number, timeoutMs?: number, "
      "minWaitUsec?: number)";
  Napi::Env env = info.Env();
  if (info.Length() < 1 || !info[0].IsNumber()) ThrowType(env, usage, "argument 1 must be a ring handle");
  uint32_t to_submit = ArgU32(info, 1, usage);
  uint32_t min_complete = ArgU32(info, 2, usage);
  uint32_t flags = ArgFlags(info, 3, usage, kEnterAllowed);
  double timeout = ArgTimeoutMs(info, 4, usage);
  uint32_t min_wait = info.Length() > 5 && !info[5].IsUndefined() ? ArgU32(info, 5, usage) : 0;
  if (timeout >= 0 && !(flags & IORING_ENTER_EXT_ARG)) {
    ThrowRange(env, usage, "a timeout needs IORING_ENTER_EXT_ARG in flags");
  }
  RingState* ring = FindRing(env, info[0].As<Napi::Number>().DoubleValue());
  if (ring == nullptr || ring->closed) return Napi::Number::New(env, -EBADF);
  return Napi::Number::New(env, static_cast<double>(Enter(ring, to_submit, min_complete, flags, timeout, min_wait)));
}

}  // namespace

bool EnterArgsFit(const double v[kEnterArgs]) {
  for (size_t i = 1; i < 4; i++) {
    if (!(v[i] >= 0 && v[i] <= 4294967295.0 && std::trunc(v[i]) == v[i])) return false;
  }
  return (static_cast<uint32_t>(v[3]) & ~kEnterAllowed) == 0 && !std::isnan(v[4]) && v[5] >= 0 &&
         v[5] <= 4294967295.0 && std::trunc(v[5]) == v[5] &&
         (v[4] < 0 || (static_cast<uint32_t>(v[3]) & IORING_ENTER_EXT_ARG));
}

long EnterByHandle(napi_env env, const double v[kEnterArgs]) {
  RingState* ring = t_rings.Find(v[0]);
  if (ring == nullptr || ring->env != env || ring->closed) return -EBADF;
  return Enter(ring, static_cast<uint32_t>(v[1]), static_cast<uint32_t>(v[2]), static_cast<uint32_t>(v[3]),
               v[4] < 0 ? -1 : v[4], static_cast<uint32_t>(v[5]));
}

namespace {

// The hot path's front door (see fast_call.h for why): plain numbers decoded
// with the raw API; anything unusual goes to the checked path above.
napi_value RingEnterFast(napi_env env, napi_callback_info cbinfo) {
  size_t argc = kEnterArgs;
  napi_value argv[kEnterArgs];
  if (napi_get_cb_info(env, cbinfo, &argc, argv, nullptr, nullptr) != napi_ok) return nullptr;
  double v[kEnterArgs] = {0, 0, 0, 0, -1, 0};
  bool simple = argc >= 4;
  for (size_t i = 0; simple && i < argc; i++) {
    // A number reads straight away (asking each argument's type first was
    // a third of this crossing); anything else is an absent optional or
    // the checked path's to refuse.
    if (napi_get_value_double(env, argv[i], &v[i]) == napi_ok) continue;
    v[i] = i == 4 ? -1 : 0;
    napi_valuetype t;
    if (i < 4 || napi_typeof(env, argv[i], &t) != napi_ok || t != napi_undefined) simple = false;
  }
  if (!simple || !EnterArgsFit(v)) {
    try {
      Napi::CallbackInfo info(env, cbinfo);
      return RingEnterChecked(info);
    } catch (const Napi::Error& e) {
      e.ThrowAsJavaScriptException();
      return nullptr;
    }
  }
  napi_value out;
  napi_create_double(env, static_cast<double>(EnterByHandle(env, v)), &out);
  return out;
}

// io_uring_register on the ring: through its registered slot when it has
// one, else (or before linux 6.3, which added registering through a slot)
// its private fd. Completions a register call posts (a sync cancel) are
// read by sys first. Returns the result, with errno in `*err`.
long RegisterOnRing(RingState* ring, uint32_t opcode, const void* arg, uint32_t nr, int* err) {
  RestoreCqTail(*ring);
  long r;
  if (ring->reg_index >= 0) {
    Count(kIoUringRegister);
    r = syscall(__NR_io_uring_register, ring->reg_index, opcode | IORING_REGISTER_USE_REGISTERED_RING, arg, nr);
    if (r >= 0 || errno != EINVAL) {
      *err = errno;
      ScanCqes(*ring);
      return r;
    }
  }
  Count(kIoUringRegister);
  r = syscall(__NR_io_uring_register, ring->own_fd, opcode, arg, nr);
  *err = errno;
  ScanCqes(*ring);
  return r;
}

// ringRegister(handle, opcode, arg, nrArgs): only opcodes whose argument
// holds no pointers. Ring fds are sys's to register (ringSetup does).
Napi::Value RingRegister(const Napi::CallbackInfo& info) {
  const char* usage = "ringRegister(handle: number, opcode: number, arg: ArrayBufferView | null, nrArgs: number)";
  Napi::Env env = info.Env();
  RingState* ring = ArgRing(info, usage, "io_uring_register");
  if (ring->closed) ThrowErrno(env, EBADF, "io_uring_register", "the ring is closed");
  uint32_t opcode = ArgU32(info, 1, usage);
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
    case IORING_UNREGISTER_PERSONALITY:  // the personality id travels in nrArgs
      needs_arg = false;
      break;
    default:
      ThrowRange(env, usage,
                 "opcode " + std::to_string(opcode) + " is not supported: its argument carries pointers or fds sys manages");
  }
  if (needs_arg) {
    if (arg.data == nullptr || arg.length < need) {
      ThrowRange(env, usage, "arg needs at least " + std::to_string(need) + " bytes for this opcode");
    }
  } else {
    arg.data = nullptr;
  }
  int err = 0;
  long r = RegisterOnRing(ring, opcode, arg.data, nr, &err);
  if (r < 0) ThrowErrno(env, err, "io_uring_register");
  return Napi::Number::New(env, static_cast<double>(r));
}

// ringRegisterBuffers(handle, buffers: ArrayBuffer[]) -> count. Registers
// pinned buffers (pinnedAlloc's) of this thread as the ring's fixed
// buffers, index i for buffers[i]; the ring holds each until
// ringUnregisterBuffers or close. Only on a ring that tracks operations.
Napi::Value RingRegisterBuffers(const Napi::CallbackInfo& info) {
  const char* usage = "ringRegisterBuffers(handle: number, buffers: ArrayBuffer[] from pinnedAlloc)";
  Napi::Env env = info.Env();
  RingState* ring = ArgRing(info, usage, "io_uring_register");
  if (ring->closed) ThrowErrno(env, EBADF, "io_uring_register", "the ring is closed");
  if (ring->ops == nullptr) {
    ThrowErrno(env, EINVAL, "io_uring_register", "fixed buffers need a ring set up with IORING_SETUP_DEFER_TASKRUN");
  }
  if (!ring->ops->fixed.empty()) ThrowErrno(env, EBUSY, "io_uring_register", "buffers are already registered");
  if (info.Length() < 2 || !info[1].IsArray()) ThrowType(env, usage, "argument 2 must be an array of ArrayBuffers");
  Napi::Array list = info[1].As<Napi::Array>();
  uint32_t n = list.Length();
  if (n == 0 || n > 16384) ThrowRange(env, usage, "between 1 and 16384 buffers");
  std::vector<PinnedBlock*> blocks;
  std::vector<struct iovec> iovs;
  for (uint32_t i = 0; i < n; i++) {
    Napi::Value v = list.Get(i);
    if (!v.IsArrayBuffer()) ThrowType(env, usage, "buffer " + std::to_string(i) + " is not an ArrayBuffer");
    Napi::ArrayBuffer ab = v.As<Napi::ArrayBuffer>();
    uint64_t addr = reinterpret_cast<uintptr_t>(ab.Data());
    PinnedBlock* b = addr == 0 ? nullptr : FindPinned(env, addr, ab.ByteLength());
    if (b == nullptr || reinterpret_cast<uintptr_t>(b->base) != addr) {
      ThrowType(env, usage, "buffer " + std::to_string(i) + " is not a live pinnedAlloc buffer of this thread");
    }
    blocks.push_back(b);
    iovs.push_back({b->base, b->len});
  }
  int err = 0;
  if (RegisterOnRing(ring, IORING_REGISTER_BUFFERS, iovs.data(), n, &err) < 0) {
    ThrowErrno(env, err, "io_uring_register", "IORING_REGISTER_BUFFERS");
  }
  for (PinnedBlock* b : blocks) HoldPinned(b);
  ring->ops->fixed = std::move(blocks);
  return Napi::Number::New(env, n);
}

// ringUnregisterBuffers(handle) -> false when none were registered.
Napi::Value RingUnregisterBuffers(const Napi::CallbackInfo& info) {
  const char* usage = "ringUnregisterBuffers(handle: number)";
  Napi::Env env = info.Env();
  RingState* ring = ArgRing(info, usage, "io_uring_register");
  if (ring->closed || ring->ops == nullptr || ring->ops->fixed.empty()) return Napi::Boolean::New(env, false);
  Count(kIoUringRegister);
  if (syscall(__NR_io_uring_register, ring->own_fd, IORING_UNREGISTER_BUFFERS, nullptr, 0) < 0) {
    ThrowErrno(env, errno, "io_uring_register", "IORING_UNREGISTER_BUFFERS");
  }
  // Operations in flight on a block hold it themselves.
  ReleaseFixedBuffers(*ring);
  return Napi::Boolean::New(env, true);
}

// ringClose(handle): detaches and unmaps every region, closes the fds.
// Returns false when the ring was already closed (idempotent).
Napi::Value RingClose(const Napi::CallbackInfo& info) {
  const char* usage = "ringClose(handle: number)";
  Napi::Env env = info.Env();
  if (info.Length() < 1 || !info[0].IsNumber()) ThrowType(env, usage, "argument 1 must be a ring handle");
  RingState* ring = FindRing(env, info[0].As<Napi::Number>().DoubleValue());
  if (ring == nullptr) return Napi::Boolean::New(env, false);
  ReleaseRing(ring, env, true);
  Forget(ring);
  return Napi::Boolean::New(env, true);
}

}  // namespace

void CloseRingsOf(napi_env env) {
  std::vector<RingState*> mine;
  t_rings.ForEach([&](RingState* ring) {
    if (ring->env == env) mine.push_back(ring);
  });
  for (RingState* ring : mine) {
    ReleaseRing(ring, env, false);
    Forget(ring);
  }
}

void InitIoUring(Napi::Env env, Napi::Object exports) {
  exports.Set("ringSetup", Napi::Function::New(env, RingSetup));
  napi_value enter;
  NAPI_THROW_IF_FAILED_VOID(env, napi_create_function(env, "ringEnter", NAPI_AUTO_LENGTH, RingEnterFast, nullptr, &enter));
  exports.Set("ringEnter", Napi::Value(env, DirectCall(env, "ringEnter", FastKind::kRingEnter, enter)));
  exports.Set("ringRegister", Napi::Function::New(env, RingRegister));
  exports.Set("ringClose", Napi::Function::New(env, RingClose));
  exports.Set("ringRegisterBuffers", Napi::Function::New(env, RingRegisterBuffers));
  exports.Set("ringUnregisterBuffers", Napi::Function::New(env, RingUnregisterBuffers));
}

}  // namespace evring
