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

// What one export does: a static constant per export, so that the function's
// data pointer is valid for the life of the process and shared by workers.
struct FastCall {
  FastKind kind;
  CheckedCall checked;
};

// Registers `name` on `exports`: the fast path of `call`, falling back to its checked one.
void SetFastCall(Napi::Env env, Napi::Object exports, const char* name, const FastCall* call);

}  // namespace evring
