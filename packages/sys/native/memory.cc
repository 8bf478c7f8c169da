// Pinned memory (pinned.h) as JavaScript sees it: pinnedAlloc gives a
// buffer over a new block and its address, to place in SQEs; pinnedFree (or
// garbage collection) drops JavaScript's hold, and the block goes once no
// operation in flight holds it. pinnedFree frees nothing but pinned memory.
#include "common.h"
#include "mapping.h"
#include "pinned.h"

namespace evring {

namespace {

// pinnedAlloc(size) -> { buffer, address, size } (memory.ts sets size to 0
// when pinnedFree frees the block)
Napi::Value PinnedAlloc(const Napi::CallbackInfo& info) {
  const char* usage = "pinnedAlloc(size: number (1 .. 1 MiB))";
  Napi::Env env = info.Env();
  size_t size = static_cast<size_t>(ArgInt(info, 0, usage, 1, 1 << 20));
  PinnedBlock* block = NewPinnedBlock(env, size);
  if (block == nullptr) ThrowErrno(env, ENOMEM, "pinnedAlloc");
  Napi::Object out = Napi::Object::New(env);
  out.Set("buffer", NewExternal(env, block->base, size, ExternalKind::kPinned, [block]() { DropPinnedJs(block); }));
  out.Set("address", Napi::Number::New(env, static_cast<double>(reinterpret_cast<uintptr_t>(block->base))));
  out.Set("size", Napi::Number::New(env, static_cast<double>(size)));
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

// pinnedStats() -> { blocks, bytes, held }: this thread's pinned blocks, and
// the operations in flight holding them.
Napi::Value PinnedStatsJs(const Napi::CallbackInfo& info) {
  PinnedStats s = GetPinnedStats();
  Napi::Object out = Napi::Object::New(info.Env());
  out.Set("blocks", s.blocks);
  out.Set("bytes", s.bytes);
  out.Set("held", s.held);
  return out;
}

}  // namespace

void InitMemory(Napi::Env env, Napi::Object exports) {
  exports.Set("pinnedAlloc", Napi::Function::New(env, PinnedAlloc));
  exports.Set("pinnedFree", Napi::Function::New(env, PinnedFree));
  exports.Set("pinnedStats", Napi::Function::New(env, PinnedStatsJs));
}

}  // namespace evring
