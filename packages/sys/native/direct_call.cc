// See direct_call.h for why this exists and when it is used. Each function
// below takes exactly the argument shapes fast_call.cc's fast path takes,
// checks them the same way, and calls the same syscall; anything else is
// handed, with all its arguments, to the Node-API function of the call.
#include "direct_call.h"

#include <sys/epoll.h>
#include <sys/socket.h>
#include <v8.h>

#include <cerrno>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>

#include "aio.h"
#include "common.h"
#include "raw_io.h"
#include "ring.h"

// The headers' Node major; node_version.h also states the runtime's own
// NAPI_VERSION, which must not replace the one this addon is built for.
#pragma push_macro("NAPI_VERSION")
#undef NAPI_VERSION
#include <node_version.h>
#pragma pop_macro("NAPI_VERSION")

namespace evring {

namespace {

using v8::ArrayBufferView;
using v8::Function;
using v8::FunctionCallbackInfo;
using v8::Local;
using v8::Value;

// Node-API's napi_value is a V8 handle's slot pointer (the inverse of what
// Node's own js_native_api_v8.h does); only done under the version check.
Local<Value> ToLocal(napi_value v) {
  Local<Value> local;
  static_assert(sizeof local == sizeof v, "a napi_value is a V8 handle");
  std::memcpy(static_cast<void*>(&local), &v, sizeof v);
  return local;
}

napi_value ToNapi(Local<Value> local) { return reinterpret_cast<napi_value>(*local); }

// The call's general case: the same arguments to its Node-API function
// (none takes more than six; a seventh would be ignored there too). An
// exception it throws stays pending and propagates when this returns.
void Checked(const FunctionCallbackInfo<Value>& info) {
  constexpr int kMaxArgs = 6;
  Local<Value> args[kMaxArgs];
  int argc = info.Length() < kMaxArgs ? info.Length() : kMaxArgs;
  for (int i = 0; i < argc; i++) args[i] = info[i];
  v8::Isolate* isolate = info.GetIsolate();
  Local<Value> result;
  if (info.Data().As<Function>()
          ->Call(isolate->GetCurrentContext(), info.This(), argc, args)
          .ToLocal(&result)) {
    info.GetReturnValue().Set(result);
  }
}

// IntArg's way for anything but a small integer: the API's.
__attribute__((noinline)) bool HeapIntArg(Local<Value> v, double min, double max, double* out) {
  if (!v->IsNumber()) return false;
  double d = v.As<v8::Number>()->Value();
  // NaN and the infinities fail the range, a fraction fails trunc.
  if (!(d >= min && d <= max) || std::trunc(d) != d) return false;
  *out = d;
  return true;
}

// An integer in [min, max]; false for anything else. A small integer (a
// Smi) is read from the handle as V8's own inline accessors do, since the
// out-of-line IsInt32/Value pair cost ~40 instructions an argument.
inline __attribute__((always_inline)) bool IntArg(Local<Value> v, double min, double max,
                                                  double* out) {
  using I = v8::internal::Internals;
  v8::internal::Address tagged = *reinterpret_cast<const v8::internal::Address*>(*v);
  if (I::HasHeapObjectTag(tagged)) return HeapIntArg(v, min, max, out);
  double d = I::SmiValue(tagged);
  if (d < min || d > max) return false;
  *out = d;
  return true;
}

// Any number, a Smi read inline.
inline __attribute__((always_inline)) bool NumberArg(Local<Value> v, double* out) {
  using I = v8::internal::Internals;
  v8::internal::Address tagged = *reinterpret_cast<const v8::internal::Address*>(*v);
  if (!I::HasHeapObjectTag(tagged)) {
    *out = I::SmiValue(tagged);
    return true;
  }
  if (!v->IsNumber()) return false;
  *out = v.As<v8::Number>()->Value();
  return true;
}

constexpr double kMaxFd = 2147483647.0;

// The env of this thread's addon instance (one per Node thread: the main
// thread or a worker), which a ring must belong to.
thread_local napi_env t_env = nullptr;

// Any view, as bytes: a Buffer, every TypedArray, a DataView. A detached
// view has length 0 (and perhaps no data, which no syscall then reaches).
bool ByteView(Local<Value> v, uint8_t** data, size_t* length) {
  if (!v->IsArrayBufferView()) return false;
  Local<ArrayBufferView> view = v.As<ArrayBufferView>();
  size_t len = view->ByteLength();
  void* base = view->Buffer()->Data();
  *data = base == nullptr ? nullptr : static_cast<uint8_t*>(base) + view->ByteOffset();
  *length = base == nullptr ? 0 : len;
  return true;
}

void Result(const FunctionCallbackInfo<Value>& info, double v) {
  if (v >= -2147483648.0 && v <= 2147483647.0) {
    info.GetReturnValue().Set(static_cast<int32_t>(v));
  } else {
    info.GetReturnValue().Set(v);
  }
}

// (fd, buffer, offset?, length?[, flags]) for read, write, send and recv.
template <FastKind kKind>
void DataCall(const FunctionCallbackInfo<Value>& info) {
  double fd;
  uint8_t* bytes;
  size_t size;
  if (!IntArg(info[0], 0, kMaxFd, &fd) || !ByteView(info[1], &bytes, &size)) return Checked(info);
  double offset = 0;
  Local<Value> o = info[2];
  if (!o->IsUndefined() && !IntArg(o, 0, static_cast<double>(size), &offset)) return Checked(info);
  double length = static_cast<double>(size) - offset;
  Local<Value> l = info[3];
  if (!l->IsUndefined() && !IntArg(l, 0, static_cast<double>(size) - offset, &length)) {
    return Checked(info);
  }
  uint8_t* at = bytes == nullptr ? nullptr : bytes + static_cast<size_t>(offset);
  size_t len = static_cast<size_t>(length);
  double flags = 0;
  if constexpr (kKind == FastKind::kSend || kKind == FastKind::kRecv) {
    if (!IntArg(info[4], 0, 2147483647.0, &flags)) return Checked(info);
  }
  Result(info, DataSyscall(kKind, static_cast<int>(fd), at, len, static_cast<int>(flags)));
}

void EventfdReadCall(const FunctionCallbackInfo<Value>& info) {
  double fd;
  if (!IntArg(info[0], 0, kMaxFd, &fd)) return Checked(info);
  Result(info, EventfdReadSyscall(static_cast<int>(fd)));
}

void EventfdWriteCall(const FunctionCallbackInfo<Value>& info) {
  double fd;
  double v;
  if (!IntArg(info[0], 0, kMaxFd, &fd) || !IntArg(info[1], 1, 9007199254740992.0, &v)) {
    return Checked(info);
  }
  Result(info, EventfdWriteSyscall(static_cast<int>(fd), static_cast<uint64_t>(v)));
}

// (epfd, out, maxevents, timeoutMs?): an absent or undefined timeout waits forever.
void EpollWaitCall(const FunctionCallbackInfo<Value>& info) {
  double epfd;
  uint8_t* bytes;
  size_t size;
  double maxevents;
  if (!IntArg(info[0], 0, kMaxFd, &epfd) || !ByteView(info[1], &bytes, &size) ||
      !IntArg(info[2], 1, static_cast<double>(1 << 20), &maxevents) ||
      size < static_cast<size_t>(maxevents) * sizeof(struct epoll_event)) {
    return Checked(info);
  }
  double timeout = -1;
  Local<Value> t = info[3];
  if (!t->IsUndefined()) {
    if (!t->IsNumber()) return Checked(info);  // null, a string: its own answer
    timeout = t.As<v8::Number>()->Value();
    if (std::isnan(timeout)) return Checked(info);
  }
  Result(info, EpollWaitSyscall(static_cast<int>(epfd), bytes, static_cast<int>(maxevents), timeout));
}

// (handle, toSubmit, minComplete, flags, timeoutMs?, minWaitUsec?).
void RingEnterCall(const FunctionCallbackInfo<Value>& info) {
  int argc = info.Length();
  if (argc < 4) return Checked(info);
  if (argc > static_cast<int>(kEnterArgs)) argc = kEnterArgs;
  double v[kEnterArgs] = {0, 0, 0, 0, -1, 0};
  for (int i = 0; i < argc; i++) {
    if (NumberArg(info[i], &v[i])) continue;
    if (i < 4 || !info[i]->IsUndefined()) return Checked(info);
    v[i] = i == 4 ? -1 : 0;  // an absent optional
  }
  if (!EnterArgsFit(v)) return Checked(info);
  Result(info, static_cast<double>(EnterByHandle(t_env, v)));
}

// (handle, indices: Uint32Array, count) on an ordinary context: SubmitPolls
// decides what it takes.
void IoSubmitCall(const FunctionCallbackInfo<Value>& info) {
  double handle;
  double count;
  Local<Value> list = info[1];
  if (!NumberArg(info[0], &handle) || !list->IsUint32Array() || !NumberArg(info[2], &count)) {
    return Checked(info);
  }
  Local<v8::Uint32Array> indices = list.As<v8::Uint32Array>();
  size_t length = indices->Length();
  void* base = indices->Buffer()->Data();
  if (base == nullptr) length = 0;
  const uint32_t* at = length == 0 ? nullptr
                                   : reinterpret_cast<const uint32_t*>(static_cast<uint8_t*>(base) +
                                                                       indices->ByteOffset());
  long r;
  if (!SubmitPolls(t_env, handle, at, length, count, &r)) return Checked(info);
  Result(info, static_cast<double>(r));
}

v8::FunctionCallback CallbackOf(FastKind kind) {
  switch (kind) {
    case FastKind::kRead:
      return DataCall<FastKind::kRead>;
    case FastKind::kWrite:
      return DataCall<FastKind::kWrite>;
    case FastKind::kSend:
      return DataCall<FastKind::kSend>;
    case FastKind::kRecv:
      return DataCall<FastKind::kRecv>;
    case FastKind::kEventfdRead:
      return EventfdReadCall;
    case FastKind::kEventfdWrite:
      return EventfdWriteCall;
    case FastKind::kEpollWait:
      return EpollWaitCall;
    case FastKind::kRingEnter:
      return RingEnterCall;
    case FastKind::kIoSubmit:
      return IoSubmitCall;
  }
  return nullptr;
}

}  // namespace

bool DirectCallsOn(napi_env env) {
  // The same answer for every env and thread of the process.
  static const bool on = [env] {
    const char* off = std::getenv("EVRING_SYS_NODE_API");
    if (off != nullptr && std::strcmp(off, "1") == 0) return false;
    const napi_node_version* version = nullptr;
    if (napi_get_node_version(env, &version) != napi_ok || version == nullptr) return false;
    return version->major == NODE_MAJOR_VERSION && version->release != nullptr &&
           std::strcmp(version->release, "node") == 0;
  }();
  return on;
}

napi_value DirectCall(napi_env env, const char* name, FastKind kind, napi_value checked) {
  v8::FunctionCallback callback = CallbackOf(kind);
  if (!DirectCallsOn(env) || callback == nullptr) return checked;
  t_env = env;
  v8::Isolate* isolate = v8::Isolate::GetCurrent();
  if (isolate == nullptr) return checked;
  Local<v8::Context> context = isolate->GetCurrentContext();
  Local<Value> data = ToLocal(checked);
  // No receiver check, no construct: a plain function, as the Node-API one.
  Local<v8::FunctionTemplate> tmpl = v8::FunctionTemplate::New(
      isolate, callback, data, Local<v8::Signature>(), 0, v8::ConstructorBehavior::kThrow,
      v8::SideEffectType::kHasSideEffect);
  Local<Function> fn;
  if (!tmpl->GetFunction(context).ToLocal(&fn)) return checked;
  Local<v8::String> fnName;
  if (v8::String::NewFromUtf8(isolate, name).ToLocal(&fnName)) fn->SetName(fnName);
  return ToNapi(fn);
}

}  // namespace evring
