// Linux AIO: io_setup returns the context and an ArrayBuffer over an iocb
// array owned here. JS writes iocbs in place and names them by index.
// io_submit, io_getevents and io_cancel are hot and return -errno; io_setup
// and io_destroy throw.
//
// Two kinds of context. An ordinary one also hands JavaScript the kernel's
// user-space completion ring (for reaping without a syscall), and accepts
// only IOCB_CMD_POLL: a read or write iocb would carry a pointer the kernel
// writes through. A *tracking* context keeps its ring from JavaScript: the
// ring is user-writable memory that io_getevents itself trusts, so a view of
// it could forge completions. There sys learns each completion from its own
// io_getevents, and so it accepts PREAD, PWRITE, PREADV, PWRITEV, FSYNC and
// FDSYNC too, when every buffer (and iovec array) lies in pinned memory of
// the thread (pinned.h), held until that iocb's completion. An iocb index
// stays busy from its submission to its completion. Data iocbs go only to
// regular files and block devices (see IoSubmit: elsewhere they could block).
#include <linux/aio_abi.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <vector>

#include "aio.h"
#include "common.h"
#include "direct_call.h"
#include "handles.h"
#include "mapping.h"

#include "pinned.h"

namespace evring {

namespace {

struct AioCtx {
  napi_env env = nullptr;
  double handle = -1;
  aio_context_t ctx = 0;
  uint8_t* ring = nullptr;
  size_t ring_len = 0;
  uint8_t* iocbs = nullptr;
  uint32_t count = 0;
  napi_ref ring_ref = nullptr;  // weak: the ring buffer, detached on destroy
  napi_ref iocb_ref = nullptr;  // strong until destroy: keeps the iocb memory alive
  std::vector<struct iocb*> scratch;
  // A tracking context (see the top): per iocb index, whether it is in
  // flight and the pinned blocks it holds.
  bool tracking = false;
  struct Track {
    bool busy = false;
    std::vector<PinnedBlock*> blocks;
  };
  std::vector<Track> track;
  std::vector<struct io_event> events;  // io_getevents lands here first
};

// What a tracking context's iocb may point at: all in pinned memory of `env`.
// Fills `blocks` with what to hold; false when anything lies outside.
bool PinnedIocb(napi_env env, const struct iocb* cb, std::vector<PinnedBlock*>* blocks) {
  if (cb->aio_reserved2 != 0 || cb->aio_rw_flags != 0) return false;
  switch (cb->aio_lio_opcode) {
    case IOCB_CMD_POLL:
    case IOCB_CMD_FSYNC:
    case IOCB_CMD_FDSYNC:
    case IOCB_CMD_NOOP:
      return true;
    case IOCB_CMD_PREAD:
    case IOCB_CMD_PWRITE: {
      if (cb->aio_nbytes == 0) return true;  // zero bytes: no memory touched, none held
      PinnedBlock* b = FindPinned(env, cb->aio_buf, cb->aio_nbytes);
      if (b == nullptr) return false;
      blocks->push_back(b);
      return true;
    }
    case IOCB_CMD_PREADV:
    case IOCB_CMD_PWRITEV: {
      // The kernel copies the iovec array inside io_submit; each buffer it
      // names is written (or read) later, so each is held.
      std::vector<struct iovec> copy;
      return CopyIovecsFromPinned(env, cb->aio_buf, cb->aio_nbytes, &copy, blocks);
    }
    default:
      return false;
  }
}

void Unhold(AioCtx::Track& t) {
  for (PinnedBlock* b : t.blocks) UnholdPinned(b);
  t.blocks.clear();
  t.busy = false;
}

constexpr size_t kIocbSize = sizeof(struct iocb);
constexpr size_t kIoEventSize = sizeof(struct io_event);
constexpr size_t kRingHeaderSize = 32;

thread_local HandleTable<AioCtx> t_contexts;

AioCtx* FindCtx(Napi::Env env, double handle) {
  AioCtx* c = t_contexts.Find(handle);
  return c != nullptr && c->env == static_cast<napi_env>(env) ? c : nullptr;
}

AioCtx* ArgCtx(const Napi::CallbackInfo& info, const char* usage, const char* syscall_name) {
  if (info.Length() < 1 || !info[0].IsNumber()) ThrowType(info.Env(), usage, "argument 1 must be an AIO context handle");
  AioCtx* c = FindCtx(info.Env(), info[0].As<Napi::Number>().DoubleValue());
  if (c == nullptr) {
    ThrowErrno(info.Env(), EBADF, syscall_name, "not a live AIO context of this thread (destroyed, or made by another worker)");
  }
  return c;
}

// io_destroy cancels what is in flight and waits for it, so the iocb memory
// is freed only after.
void DestroyKernelContext(AioCtx* c) {
  Count(kIoDestroy);
  syscall(__NR_io_destroy, c->ctx);
  c->ctx = 0;
  // io_destroy returned: every iocb completed or was cancelled, and the
  // kernel touches none of their memory any more.
  for (AioCtx::Track& t : c->track) Unhold(t);
}

}  // namespace

// ioSetup(nrEvents, iocbCount, tracking?) -> { handle, ring?: ArrayBuffer,
// iocbs: ArrayBuffer, nr }. A tracking context has no ring for JavaScript.
static Napi::Value IoSetup(const Napi::CallbackInfo& info) {
  const char* usage = "ioSetup(nrEvents: number, iocbCount: number, tracking?: boolean)";
  Napi::Env env = info.Env();
  uint32_t nr_events = static_cast<uint32_t>(ArgInt(info, 0, usage, 1, 1 << 20));
  uint32_t count = static_cast<uint32_t>(ArgInt(info, 1, usage, 1, 1 << 20));
  bool tracking = ArgOptionalBool(info, 2, usage, false);
  aio_context_t ctx = 0;
  Count(kIoSetup);
  if (syscall(__NR_io_setup, nr_events, &ctx) < 0) ThrowErrno(env, errno, "io_setup");

  auto* c = new AioCtx();
  c->ctx = ctx;
  c->ring = reinterpret_cast<uint8_t*>(ctx);
  // The context id is the address of the kernel's ring mapping; its header
  // says how many io_events it holds (the kernel rounds up to whole pages).
  uint32_t ring_nr;
  memcpy(&ring_nr, c->ring + 4, 4);
  long page = sysconf(_SC_PAGESIZE);
  size_t raw = kRingHeaderSize + static_cast<size_t>(ring_nr) * kIoEventSize;
  c->ring_len = (raw + page - 1) / page * page;
  c->count = count;
  c->iocbs = static_cast<uint8_t*>(std::aligned_alloc(64, count * kIocbSize));
  if (c->iocbs == nullptr) {
    syscall(__NR_io_destroy, ctx);
    delete c;
    ThrowErrno(env, ENOMEM, "io_setup", "iocb array");
  }
  memset(c->iocbs, 0, count * kIocbSize);
  c->scratch.resize(count);
  c->tracking = tracking;
  if (tracking) {
    c->track.resize(count);
    c->events.resize(ring_nr > 0 ? ring_nr : 1);
  }

  uint8_t* iocbs = c->iocbs;
  // The kernel unmaps the ring itself in io_destroy: its buffer releases nothing.
  Napi::ArrayBuffer ring;
  if (!tracking) ring = NewExternal(env, c->ring, c->ring_len, ExternalKind::kAioRing, []() {});
  Napi::ArrayBuffer cbs =
      NewExternal(env, iocbs, count * kIocbSize, ExternalKind::kAioIocbs, [iocbs]() { std::free(iocbs); });
  if (!tracking) napi_create_reference(env, ring, 0, &c->ring_ref);
  napi_create_reference(env, cbs, 1, &c->iocb_ref);
  c->env = env;
  c->handle = t_contexts.Add(c);

  Napi::Object out = Napi::Object::New(env);
  out.Set("handle", c->handle);
  if (!tracking) out.Set("ring", ring);
  out.Set("iocbs", cbs);
  out.Set("nr", ring_nr);
  return out;
}

// ioDestroy(handle): detaches both buffers, then destroys the context.
// Destroying an unknown or already destroyed handle does nothing.
static Napi::Value IoDestroy(const Napi::CallbackInfo& info) {
  const char* usage = "ioDestroy(handle: number)";
  Napi::Env env = info.Env();
  if (info.Length() < 1 || !info[0].IsNumber()) ThrowType(env, usage, "argument 1 must be an AIO context handle");
  AioCtx* c = FindCtx(env, info[0].As<Napi::Number>().DoubleValue());
  if (c == nullptr) return Napi::Boolean::New(env, false);
  // The kernel unmaps the ring in io_destroy: no view may survive it.
  if (c->ring_ref != nullptr && !DetachWeak(env, c->ring_ref)) {
    Napi::Error err = Napi::Error::New(env, "io_destroy: the ring buffer could not be detached; the context stays alive");
    err.Set("code", Napi::String::New(env, "ERR_EVRING_NOT_DETACHABLE"));
    throw err;
  }
  t_contexts.Remove(c->handle);
  DestroyKernelContext(c);
  napi_value cbs = nullptr;
  napi_get_reference_value(env, c->iocb_ref, &cbs);
  if (cbs != nullptr) ReleaseExternal(env, Napi::ArrayBuffer(env, cbs), ExternalKind::kAioIocbs);  // detaches and frees
  if (c->ring_ref != nullptr) napi_delete_reference(env, c->ring_ref);
  napi_delete_reference(env, c->iocb_ref);
  delete c;
  return Napi::Boolean::New(env, true);
}

// What a batch of polls on an ordinary context came to.
enum class PollBatch { kSubmitted, kIndexOutOfRange, kNotPoll };

// io_submit of the poll iocbs named by `indices[0 .. count)` (count already
// within the array and the context), each index read once. Nothing is
// submitted when an index is out of range or names anything but a poll;
// `*bad` is that index.
PollBatch SubmitPollBatch(AioCtx* c, const uint32_t* indices, uint32_t count, long* result, uint32_t* bad) {
  for (uint32_t i = 0; i < count; i++) {
    // Read once: the indices may live in a SharedArrayBuffer another thread writes.
    uint32_t index = __atomic_load_n(&indices[i], __ATOMIC_RELAXED);
    *bad = index;
    if (index >= c->count) return PollBatch::kIndexOutOfRange;
    auto* cb = reinterpret_cast<struct iocb*>(c->iocbs + static_cast<size_t>(index) * kIocbSize);
    if (cb->aio_lio_opcode != IOCB_CMD_POLL) return PollBatch::kNotPoll;
    c->scratch[i] = cb;
  }
  if (count == 0) {
    *result = 0;
    return PollBatch::kSubmitted;
  }
  Count(kIoSubmit);
  long r = syscall(__NR_io_submit, c->ctx, static_cast<long>(count), c->scratch.data());
  *result = r < 0 ? -errno : r;
  return PollBatch::kSubmitted;
}

// ioSubmit(handle, indices: Uint32Array, count) -> submitted count or -errno
static Napi::Value IoSubmit(const Napi::CallbackInfo& info) {
  const char* usage = "ioSubmit(handle: number, indices: Uint32Array, count: number)";
  Napi::Env env = info.Env();
  AioCtx* c = ArgCtx(info, usage, "io_submit");
  if (info.Length() < 2 || !info[1].IsTypedArray() ||
      info[1].As<Napi::TypedArray>().TypedArrayType() != napi_uint32_array) {
    ThrowType(env, usage, "indices must be a Uint32Array");
  }
  Napi::Uint32Array indices = info[1].As<Napi::Uint32Array>();
  uint32_t count = static_cast<uint32_t>(ArgInt(info, 2, usage, 0, indices.ElementLength()));
  if (count > c->count) ThrowRange(env, usage, "count exceeds the context's iocb count");
  const uint32_t* idx = indices.Data();
  if (!c->tracking) {
    long r = 0;
    uint32_t bad = 0;
    switch (SubmitPollBatch(c, idx, count, &r, &bad)) {
      case PollBatch::kIndexOutOfRange:
        ThrowRange(env, usage, "iocb index " + std::to_string(bad) + " out of range");
      case PollBatch::kNotPoll:
        ThrowRange(env, usage, "iocb " + std::to_string(bad) + " is not IOCB_CMD_POLL; only poll iocbs are accepted");
      case PollBatch::kSubmitted:
        break;
    }
    return Napi::Number::New(env, static_cast<double>(r));
  }
  // A tracking context: every iocb is checked and its memory held until it completes.
  int stop_errno = 0;  // a data iocb on an fd it could block on: the batch ends before it
  for (uint32_t i = 0; i < count; i++) {
    // Read once: the indices may live in a SharedArrayBuffer another thread writes.
    uint32_t index = __atomic_load_n(&idx[i], __ATOMIC_RELAXED);
    if (index >= c->count) ThrowRange(env, usage, "iocb index " + std::to_string(index) + " out of range");
    auto* cb = reinterpret_cast<struct iocb*>(c->iocbs + static_cast<size_t>(index) * kIocbSize);
    AioCtx::Track& t = c->track[index];
    // Linux AIO does a buffered read or write inside io_submit, as a
    // blocking call: on a pipe, socket or tty with nothing to read it would
    // hang the thread. Data iocbs go only to regular files and block
    // devices; the batch stops before any other (-ESPIPE when first),
    // as io_submit itself stops at an iocb it refuses.
    uint16_t op = cb->aio_lio_opcode;
    if (op == IOCB_CMD_PREAD || op == IOCB_CMD_PWRITE || op == IOCB_CMD_PREADV || op == IOCB_CMD_PWRITEV) {
      struct stat st;
      Count(kOther);
      if (fstat(static_cast<int>(cb->aio_fildes), &st) < 0) {
        stop_errno = errno;
      } else if (!S_ISREG(st.st_mode) && !S_ISBLK(st.st_mode)) {
        // pread(2) on a pipe, socket or tty: they have no offset.
        stop_errno = S_ISDIR(st.st_mode) ? EISDIR : ESPIPE;
      }
      if (stop_errno != 0) {
        count = i;
        break;
      }
    }
    std::vector<PinnedBlock*> blocks;
    bool busy = t.busy;
    bool ok = !busy && PinnedIocb(c->env, cb, &blocks);  // busy also catches an index twice in one batch
    if (!ok) {
      // Undo the holds taken for the iocbs before this one in the batch.
      for (uint32_t k = 0; k < i; k++) {
        Unhold(c->track[(reinterpret_cast<uint8_t*>(c->scratch[k]) - c->iocbs) / kIocbSize]);
      }
      ThrowRange(env, usage,
                 "iocb " + std::to_string(index) +
                     (busy ? " is still in flight" : " points outside pinned memory, or is not an operation sys tracks"));
    }
    for (PinnedBlock* b : blocks) HoldPinned(b);
    t.blocks = std::move(blocks);
    t.busy = true;
    c->scratch[i] = cb;
  }
  if (count == 0) return Napi::Number::New(env, stop_errno != 0 ? -stop_errno : 0);
  Count(kIoSubmit);
  long r = syscall(__NR_io_submit, c->ctx, static_cast<long>(count), c->scratch.data());
  int err = errno;
  // What the kernel did not take is not in flight.
  uint32_t taken = r < 0 ? 0 : static_cast<uint32_t>(r);
  for (uint32_t k = taken; k < count; k++) {
    Unhold(c->track[(reinterpret_cast<uint8_t*>(c->scratch[k]) - c->iocbs) / kIocbSize]);
  }
  return Napi::Number::New(env, r < 0 ? -err : static_cast<double>(r));
}

bool SubmitPolls(napi_env env, double handle, const uint32_t* indices, size_t length, double count,
                 long* result) {
  AioCtx* c = t_contexts.Find(handle);
  if (c == nullptr || c->env != env || c->tracking) return false;
  if (!(count >= 0 && count <= static_cast<double>(length) && count <= c->count) || std::trunc(count) != count) {
    return false;
  }
  uint32_t bad;
  return SubmitPollBatch(c, indices, static_cast<uint32_t>(count), result, &bad) == PollBatch::kSubmitted;
}

// ioCancel(handle, index) -> 0 or -errno (-EINPROGRESS: cancelled, the
// completion arrives through the ring as usual).
static Napi::Value IoCancel(const Napi::CallbackInfo& info) {
  const char* usage = "ioCancel(handle: number, index: number)";
  AioCtx* c = ArgCtx(info, usage, "io_cancel");
  uint32_t index = static_cast<uint32_t>(ArgInt(info, 1, usage, 0, c->count - 1));
  struct io_event result;
  Count(kIoCancel);
  long r = syscall(__NR_io_cancel, c->ctx, c->iocbs + static_cast<size_t>(index) * kIocbSize, &result);
  return Napi::Number::New(info.Env(), r < 0 ? -errno : static_cast<double>(r));
}

// ioGetevents(handle, minNr, nr, out, timeoutMs) -> events read or -errno
static Napi::Value IoGetevents(const Napi::CallbackInfo& info) {
  const char* usage = "ioGetevents(handle: number, minNr: number, nr: number, out: ArrayBufferView, timeoutMs: number)";
  Napi::Env env = info.Env();
  AioCtx* c = ArgCtx(info, usage, "io_getevents");
  long min_nr = static_cast<long>(ArgInt(info, 1, usage, 0, 1 << 20));
  long nr = static_cast<long>(ArgInt(info, 2, usage, 1, 1 << 20));
  if (min_nr > nr) ThrowRange(env, usage, "minNr must not exceed nr");
  Bytes out = ArgBytes(info, 3, usage);
  if (out.length < static_cast<size_t>(nr) * kIoEventSize) ThrowRange(env, usage, "out holds fewer than nr io_events (32 bytes each)");
  double timeout = ArgTimeoutMs(info, 4, usage);
  struct timespec ts;
  struct timespec* tsp = nullptr;
  if (timeout >= 0) {
    double sec = std::floor(timeout / 1000);
    ts.tv_sec = static_cast<time_t>(sec);
    ts.tv_nsec = static_cast<long>(std::llround((timeout - sec * 1000) * 1e6));
    if (ts.tv_nsec >= 1000000000) {
      ts.tv_sec += 1;
      ts.tv_nsec -= 1000000000;
    }
    tsp = &ts;
  }
  if (!c->tracking) {
    Count(kIoGetevents);
    long r = syscall(__NR_io_getevents, c->ctx, min_nr, nr, reinterpret_cast<struct io_event*>(out.data), tsp);
    return Napi::Number::New(env, r < 0 ? -errno : static_cast<double>(r));
  }
  // Tracking: the events land in sys's memory first, each releases its
  // iocb's memory, and only then are they copied out.
  if (static_cast<size_t>(nr) > c->events.size()) nr = static_cast<long>(c->events.size());
  if (min_nr > nr) min_nr = nr;
  Count(kIoGetevents);
  long r = syscall(__NR_io_getevents, c->ctx, min_nr, nr, c->events.data(), tsp);
  if (r < 0) return Napi::Number::New(env, -errno);
  for (long i = 0; i < r; i++) {
    uint64_t obj = c->events[i].obj;
    uint64_t base = reinterpret_cast<uintptr_t>(c->iocbs);
    if (obj >= base && obj < base + static_cast<uint64_t>(c->count) * kIocbSize && (obj - base) % kIocbSize == 0) {
      Unhold(c->track[(obj - base) / kIocbSize]);
    }
  }
  memcpy(out.data, c->events.data(), static_cast<size_t>(r) * kIoEventSize);
  return Napi::Number::New(env, static_cast<double>(r));
}

void DestroyAioOf(napi_env env) {
  std::vector<AioCtx*> mine;
  t_contexts.ForEach([&](AioCtx* c) {
    if (c->env == env) mine.push_back(c);
  });
  for (AioCtx* c : mine) {
    t_contexts.Remove(c->handle);
    DestroyKernelContext(c);
    // The buffers' own finalizers run at shutdown too: the iocbs are freed there.
    if (c->ring_ref != nullptr) napi_delete_reference(env, c->ring_ref);
    napi_delete_reference(env, c->iocb_ref);
    delete c;
  }
}

void InitAio(Napi::Env env, Napi::Object exports) {
  exports.Set("ioSetup", Napi::Function::New(env, IoSetup));
  exports.Set("ioDestroy", Napi::Function::New(env, IoDestroy));
  exports.Set("ioSubmit", Napi::Value(env, DirectCall(env, "ioSubmit", FastKind::kIoSubmit,
                                                      Napi::Function::New(env, IoSubmit))));
  exports.Set("ioCancel", Napi::Function::New(env, IoCancel));
  exports.Set("ioGetevents", Napi::Function::New(env, IoGetevents));
}

}  // namespace evring
