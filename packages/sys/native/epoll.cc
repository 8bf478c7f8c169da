// epoll: create (throws), ctl and wait (hot: return -errno).
#include <sys/epoll.h>
#include <unistd.h>

#include "common.h"
#include "fast_call.h"
#include "raw_io.h"

namespace evring {

static Napi::Value EpollCreate1(const Napi::CallbackInfo& info) {
  const char* usage = "epollCreate1(flags: number, hold?: boolean)";
  int flags = ArgFlags(info, 0, usage, EPOLL_CLOEXEC);
  bool hold = ArgOptionalBool(info, 1, usage, false);
  Count(kEpollCreate);
  int fd = epoll_create1(flags);
  if (fd < 0) ThrowErrno(info.Env(), errno, "epoll_create1");
  if (hold) HoldFd(info.Env(), fd);  // until taken (owned_fds.cc)
  return Napi::Number::New(info.Env(), fd);
}

// epollCtl(epfd, op, fd, events, dataLo, dataHi): the event's 64-bit data
// travels as two u32 halves so the hot path allocates no BigInt.
static Napi::Value EpollCtl(const Napi::CallbackInfo& info) {
  const char* usage =
      "epollCtl(epfd: number, op: number, fd: number, events: number, dataLo: number, dataHi: number)";
  int epfd = ArgFd(info, 0, usage);
  int op = static_cast<int>(ArgInt(info, 1, usage, 1, 3));
  int fd = ArgFd(info, 2, usage);
  uint32_t events = ArgMask32(info, 3, usage);
  uint32_t lo = ArgU32(info, 4, usage);
  uint32_t hi = ArgU32(info, 5, usage);
  struct epoll_event ev;
  ev.events = events;
  ev.data.u64 = (static_cast<uint64_t>(hi) << 32) | lo;
  Count(kEpollCtl);
  int r = epoll_ctl(epfd, op, fd, op == EPOLL_CTL_DEL ? nullptr : &ev);
  return Napi::Number::New(info.Env(), r < 0 ? -errno : r);
}

// epollWait(epfd, out, maxevents, timeoutMs): fills `out` with up to
// `maxevents` epoll_event records (12 bytes each on x86_64, 16 elsewhere).
static Napi::Value EpollWait(const Napi::CallbackInfo& info) {
  const char* usage = "epollWait(epfd: number, out: ArrayBufferView, maxevents: number, timeoutMs: number)";
  int epfd = ArgFd(info, 0, usage);
  Bytes out = ArgBytes(info, 1, usage);
  int maxevents = static_cast<int>(ArgInt(info, 2, usage, 1, 1 << 20));
  double timeout = ArgTimeoutMs(info, 3, usage);
  if (out.length < static_cast<size_t>(maxevents) * sizeof(struct epoll_event)) {
    ThrowRange(info.Env(), usage,
               "out holds fewer than maxevents * " + std::to_string(sizeof(struct epoll_event)) + " bytes");
  }
  int ms = EpollTimeoutMs(timeout);
  Count(kEpollWait);
  int n = RawEpollWait(epfd, reinterpret_cast<struct epoll_event*>(out.data), maxevents, ms);
  return Napi::Number::New(info.Env(), n < 0 ? -errno : n);
}

static const FastCall kFastEpollWait{FastKind::kEpollWait, EpollWait};

void InitEpoll(Napi::Env env, Napi::Object exports) {
  exports.Set("epollCreate1", Napi::Function::New(env, EpollCreate1));
  exports.Set("epollCtl", Napi::Function::New(env, EpollCtl));
  SetFastCall(env, exports, "epollWait", &kFastEpollWait);
}

}  // namespace evring
