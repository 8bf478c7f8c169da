// Per-thread syscall counters, read by benchmarks without allocating:
// syscallCounts(out) copies them into a caller's Float64Array.
#include "common.h"

namespace evring {

static const char* const kCounterNames[kCounterCount] = {
    "io_uring_setup", "io_uring_enter", "io_uring_register", "io_setup",  "io_submit",
    "io_getevents",   "io_cancel",      "io_destroy",        "epoll_create", "epoll_ctl",
    "epoll_wait",     "read",           "write",             "close",     "mmap",
    "munmap",         "other",          "sqe_rejected",
};

static Napi::Value CounterNames(const Napi::CallbackInfo& info) {
  Napi::Array names = Napi::Array::New(info.Env(), kCounterCount);
  for (uint32_t i = 0; i < kCounterCount; i++) names.Set(i, kCounterNames[i]);
  return names;
}

static Napi::Value SyscallCounts(const Napi::CallbackInfo& info) {
  const char* usage = "syscallCounts(out: Float64Array)";
  if (info.Length() < 1 || !info[0].IsTypedArray() ||
      info[0].As<Napi::TypedArray>().TypedArrayType() != napi_float64_array) {
    ThrowType(info.Env(), usage, "argument 1 must be a Float64Array");
  }
  Napi::Float64Array out = info[0].As<Napi::Float64Array>();
  size_t n = out.ElementLength();
  if (n > kCounterCount) n = kCounterCount;
  double* dst = out.Data();
  if (dst == nullptr) return Napi::Number::New(info.Env(), 0);
  for (size_t i = 0; i < n; i++) dst[i] = g_counters[i];
  return Napi::Number::New(info.Env(), static_cast<double>(n));
}

static Napi::Value ResetSyscallCounts(const Napi::CallbackInfo& info) {
  for (double& c : g_counters) c = 0;
  return info.Env().Undefined();
}

void InitCounters(Napi::Env env, Napi::Object exports) {
  exports.Set("syscallCountNames", Napi::Function::New(env, CounterNames));
  exports.Set("syscallCounts", Napi::Function::New(env, SyscallCounts));
  exports.Set("resetSyscallCounts", Napi::Function::New(env, ResetSyscallCounts));
}

}  // namespace evring
