// Pinned memory: sys-owned, zeroed, 64-byte aligned, whose user address
// JavaScript may place in SQEs the kernel only reads through (the
// __kernel_timespec of IORING_OP_TIMEOUT). Freed by pinnedFree, or when the
// buffer is collected; pinnedFree frees nothing but pinned memory.
#include <cstdlib>
#include <cstring>

#include "common.h"
#include "mapping.h"

namespace evring {

namespace {

// pinnedAlloc(size) -> { buffer, address }
Napi::Value PinnedAlloc(const Napi::CallbackInfo& info) {
  const char* usage = "pinnedAlloc(size: number (1 .. 1 MiB))";
  Napi::Env env = info.Env();
  size_t size = static_cast<size_t>(ArgInt(info, 0, usage, 1, 1 << 20));
  size_t rounded = (size + 63) / 64 * 64;
  void* mem = std::aligned_alloc(64, rounded);
  if (mem == nullptr) ThrowErrno(env, ENOMEM, "pinnedAlloc");
  memset(mem, 0, rounded);
  Napi::Object out = Napi::Object::New(env);
  out.Set("buffer", NewExternal(env, mem, size, ExternalKind::kPinned, [mem]() { std::free(mem); }));
  out.Set("address", Napi::Number::New(env, static_cast<double>(reinterpret_cast<uintptr_t>(mem))));
  return out;
}

// pinnedFree(buffer) -> true when freed now, false when already freed.
Napi::Value PinnedFree(const Napi::CallbackInfo& info) {
  const char* usage = "pinnedFree(buffer: ArrayBuffer from pinnedAlloc)";
  Napi::Env env = info.Env();
  if (info.Length() < 1 || !info[0].IsArrayBuffer()) ThrowType(env, usage, "argument 1 must be an ArrayBuffer");
  switch (ReleaseExternal(env, info[0].As<Napi::ArrayBuffer>(), ExternalKind::kPinned)) {
    case Release::kReleased:
      return Napi::Boolean::New(env, true);
    case Release::kAlreadyReleased:
      return Napi::Boolean::New(env, false);
    case Release::kWrongKind:
      ThrowType(env, usage, "the buffer belongs to a ring or an AIO context, which releases it when closed");
    case Release::kNotOurs:
    default:
      ThrowType(env, usage, "the buffer was not allocated by pinnedAlloc");
  }
}

}  // namespace

void InitMemory(Napi::Env env, Napi::Object exports) {
  exports.Set("pinnedAlloc", Napi::Function::New(env, PinnedAlloc));
  exports.Set("pinnedFree", Napi::Function::New(env, PinnedFree));
}

}  // namespace evring
