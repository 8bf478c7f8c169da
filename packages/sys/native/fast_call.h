// The hot calls' front door: read, write, send, recv, eventfdRead and
// eventfdWrite are called once per event, and epollWait once per loop
// iteration (every backend sleeps in it but io_uring), so their argument
// decoding is what a crossing into C++ costs. node-addon-api's checked readers make
// about twenty engine calls per read; the fast path here makes four or five
// with the raw C API and handles the common shapes (integers, any view:
// a Buffer, a TypedArray, a DataView, read as bytes). Anything else — an
// ArrayBuffer, a wrong type, a value out of range — goes to the checked
// implementation, which decodes the general case and throws the
// TypeError/RangeError. Both paths validate every offset and length
// against the buffer: the fast path only decides sooner.
#pragma once

#include <napi.h>
#include <sys/epoll.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstddef>
#include <cstdint>

#include "common.h"
#include "raw_io.h"

namespace evring {

// The checked implementation a fast path falls back to.
using CheckedCall = Napi::Value (*)(const Napi::CallbackInfo& info);

// kRingEnter and kIoSubmit are entered elsewhere (io_uring.cc, aio.cc); they
// are listed for direct_call.h.
enum class FastKind {
  kRead,
  kWrite,
  kSend,
  kRecv,
  kEventfdRead,
  kEventfdWrite,
  kEpollWait,
  kRingEnter,
  kIoSubmit
};

// What a hot call does once its arguments are decoded and checked, whichever
// entry decoded them (this file's Node-API one, or direct_call.h's V8 one):
// the syscall, counted, and its result as the call returns it (-errno on
// failure).

// read, write, send or recv of `len` bytes at `at`; `flags` only for send and recv.
inline double DataSyscall(FastKind kind, int fd, uint8_t* at, size_t len, int flags) {
  ssize_t n;
  switch (kind) {
    case FastKind::kRead:
      Count(kRead);
      n = RawRead(fd, at, len);
      break;
    case FastKind::kWrite:
      Count(kWrite);
      n = RawWrite(fd, at, len);
      break;
    case FastKind::kSend:
      Count(kWrite);
      n = RawSend(fd, at, len, flags | MSG_NOSIGNAL);
      break;
    default:
      Count(kRead);
      n = RawRecv(fd, at, len, flags);
  }
  return n < 0 ? -errno : static_cast<double>(n);
}

// The eventfd's count (exact below 2^53), or -errno.
inline double EventfdReadSyscall(int fd) {
  uint64_t value = 0;
  Count(kRead);
  ssize_t n = RawRead(fd, &value, sizeof value);
  if (n < 0) return -errno;
  if (n != sizeof value) return -EINVAL;
  return static_cast<double>(value);
}

// Adds `value` to the eventfd's count: 0 or -errno.
inline double EventfdWriteSyscall(int fd, uint64_t value) {
  Count(kWrite);
  ssize_t n = RawWrite(fd, &value, sizeof value);
  return n < 0 ? -errno : 0;
}

// epoll_wait into `out` (room for `maxevents` checked by the caller); a
// negative timeout waits forever.
inline double EpollWaitSyscall(int epfd, uint8_t* out, int maxevents, double timeout) {
  int ms = EpollTimeoutMs(timeout);
  Count(kEpollWait);
  int n = RawEpollWait(epfd, reinterpret_cast<struct epoll_event*>(out), maxevents, ms);
  return n < 0 ? -errno : n;
}

// What one export does: a static constant per export, so that the function's
// data pointer is valid for the life of the process and shared by workers.
struct FastCall {
  FastKind kind;
  CheckedCall checked;
};

// Registers `name` on `exports`: the fast path of `call`, falling back to its checked one.
void SetFastCall(Napi::Env env, Napi::Object exports, const char* name, const FastCall* call);

}  // namespace evring
