// See fast_call.h for why this exists.
#include "fast_call.h"

#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cmath>
#include <cstdint>

#include "common.h"
#include "direct_call.h"
#include "raw_io.h"

namespace evring {

namespace {

// The checked path, with C++ exceptions turned into JS ones as
// node-addon-api's own trampoline does.
napi_value Slow(napi_env env, napi_callback_info cbinfo, CheckedCall checked) {
  try {
    Napi::CallbackInfo info(env, cbinfo);
    return checked(info);
  } catch (const Napi::Error& e) {
    e.ThrowAsJavaScriptException();
    return nullptr;
  }
}

// A JS number that is an integer in [min, max]; false for anything else.
bool IntArg(napi_env env, napi_value v, double min, double max, double* out) {
  double d;
  if (napi_get_value_double(env, v, &d) != napi_ok) return false;
  if (!(d >= min && d <= max) || std::trunc(d) != d) return false;
  *out = d;
  return true;
}

bool IsUndefined(napi_env env, napi_value v) {
  napi_valuetype t;
  return napi_typeof(env, v, &t) == napi_ok && t == napi_undefined;
}

// Any view (a Buffer, every TypedArray, a DataView), as bytes: what the
// checked path takes too. `data` is already adjusted by the view's byte
// offset; a detached view has length 0 (and may have no data pointer, which
// no syscall then reaches). Asked with napi_get_buffer_info, which tests
// one thing (is it a view) and reads the view's bytes: the typed-array call
// tests the element type one kind at a time and cost about 680 instructions
// a call, more than the rest of the crossing.
bool ByteView(napi_env env, napi_value v, uint8_t** data, size_t* length) {
  void* p = nullptr;
  // Not a view (an ArrayBuffer, anything else): napi_invalid_arg, and the checked path takes it.
  if (napi_get_buffer_info(env, v, &p, length) != napi_ok) return false;
  *data = static_cast<uint8_t*>(p);
  return true;
}

napi_value Number(napi_env env, double v) {
  napi_value out;
  napi_create_double(env, v, &out);
  return out;
}

constexpr double kMaxFd = 2147483647.0;

// (epfd, out, maxevents, timeoutMs?): the checked path's limits, and its
// rounding (EpollTimeoutMs; absent waits forever).
napi_value EpollWaitFast(napi_env env, napi_callback_info cbinfo, const FastCall* entry,
                         size_t argc, napi_value* argv, double epfd) {
  uint8_t* bytes;
  size_t size;
  double maxevents;
  if (argc < 3 || !ByteView(env, argv[1], &bytes, &size) ||
      !IntArg(env, argv[2], 1, static_cast<double>(1 << 20), &maxevents) ||
      size < static_cast<size_t>(maxevents) * sizeof(struct epoll_event)) {
    return Slow(env, cbinfo, entry->checked);
  }
  double timeout = -1;
  if (argc > 3 && !IsUndefined(env, argv[3])) {
    if (napi_get_value_double(env, argv[3], &timeout) != napi_ok || std::isnan(timeout)) {
      return Slow(env, cbinfo, entry->checked);  // null, NaN, not a number: its own answer
    }
  }
  return Number(env, EpollWaitSyscall(static_cast<int>(epfd), bytes, static_cast<int>(maxevents), timeout));
}

napi_value Fast(napi_env env, napi_callback_info cbinfo) {
  size_t argc = 5;
  napi_value argv[5];
  void* data;
  if (napi_get_cb_info(env, cbinfo, &argc, argv, nullptr, &data) != napi_ok) return nullptr;
  const FastCall* entry = static_cast<const FastCall*>(data);
  double fd;
  if (argc < 1 || !IntArg(env, argv[0], 0, kMaxFd, &fd)) return Slow(env, cbinfo, entry->checked);

  if (entry->kind == FastKind::kEventfdRead) return Number(env, EventfdReadSyscall(static_cast<int>(fd)));
  if (entry->kind == FastKind::kEventfdWrite) {
    double v;
    if (argc < 2 || !IntArg(env, argv[1], 1, 9007199254740992.0, &v)) {
      return Slow(env, cbinfo, entry->checked);
    }
    return Number(env, EventfdWriteSyscall(static_cast<int>(fd), static_cast<uint64_t>(v)));
  }

  if (entry->kind == FastKind::kEpollWait) return EpollWaitFast(env, cbinfo, entry, argc, argv, fd);

  // (fd, buffer, offset?, length?[, flags]): an absent or undefined offset
  // is 0, an absent or undefined length runs to the end of the buffer.
  uint8_t* bytes;
  size_t size;
  if (argc < 2 || !ByteView(env, argv[1], &bytes, &size)) return Slow(env, cbinfo, entry->checked);
  double offset = 0;
  if (argc > 2 && !IntArg(env, argv[2], 0, static_cast<double>(size), &offset) &&
      !IsUndefined(env, argv[2])) {
    return Slow(env, cbinfo, entry->checked);
  }
  double length = static_cast<double>(size) - offset;
  if (argc > 3 && !IntArg(env, argv[3], 0, static_cast<double>(size) - offset, &length) &&
      !IsUndefined(env, argv[3])) {
    return Slow(env, cbinfo, entry->checked);
  }
  uint8_t* at = bytes == nullptr ? nullptr : bytes + static_cast<size_t>(offset);
  size_t len = static_cast<size_t>(length);
  double flags = 0;
  if ((entry->kind == FastKind::kSend || entry->kind == FastKind::kRecv) &&
      (argc < 5 || !IntArg(env, argv[4], 0, 2147483647.0, &flags))) {
    return Slow(env, cbinfo, entry->checked);
  }
  return Number(env, DataSyscall(entry->kind, static_cast<int>(fd), at, len, static_cast<int>(flags)));
}

}  // namespace

void SetFastCall(Napi::Env env, Napi::Object exports, const char* name, const FastCall* call) {
  napi_value fn;
  // The engine never writes through the data pointer: it only hands it back.
  void* data = const_cast<FastCall*>(call);
  NAPI_THROW_IF_FAILED_VOID(env, napi_create_function(env, name, NAPI_AUTO_LENGTH, Fast, data, &fn));
  // Entered straight from V8 where that is safe, falling back to this one.
  exports.Set(name, Napi::Value(env, DirectCall(env, name, call->kind, fn)));
}

}  // namespace evring
