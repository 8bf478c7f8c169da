// Bookkeeping for external ArrayBuffers (see mapping.h). The registry is
// process-wide because addresses are; each entry is only ever touched from
// the env (thread) that created its buffer, but the map itself is shared.
#include "mapping.h"

#include <mutex>
#include <unordered_map>

#include "common.h"

namespace evring {

namespace {

struct External {
  void* addr;
  size_t len;
  ExternalKind kind;
  std::function<void()> release;
  bool released = false;
};

std::mutex& Mutex() {
  static std::mutex* m = new std::mutex();
  return *m;
}

// addr -> entry, for ReleaseExternal(ab) to find a buffer's entry.
std::unordered_map<uintptr_t, External*>& Registry() {
  static auto* r = new std::unordered_map<uintptr_t, External*>();
  return *r;
}

void RunRelease(External* e) {
  if (e->released) return;
  e->released = true;
  {
    std::lock_guard<std::mutex> lock(Mutex());
    auto it = Registry().find(reinterpret_cast<uintptr_t>(e->addr));
    if (it != Registry().end() && it->second == e) Registry().erase(it);
  }
  if (e->release) e->release();
}

void Finalize(Napi::Env, void*, External* e) {
  RunRelease(e);
  delete e;
}

}  // namespace

Napi::ArrayBuffer NewExternal(Napi::Env env, void* addr, size_t len, ExternalKind kind,
                              std::function<void()> release) {
  auto* e = new External{addr, len, kind, std::move(release)};
  {
    std::lock_guard<std::mutex> lock(Mutex());
    Registry()[reinterpret_cast<uintptr_t>(addr)] = e;
  }
  Napi::ArrayBuffer ab = Napi::ArrayBuffer::New(env, addr, len, Finalize, e);
  MarkUntransferable(env, ab);
  return ab;
}

Release ReleaseExternal(Napi::Env env, Napi::ArrayBuffer ab, ExternalKind kind) {
  void* addr = ab.Data();
  if (addr == nullptr) return Release::kAlreadyReleased;  // detached
  External* e;
  {
    std::lock_guard<std::mutex> lock(Mutex());
    auto it = Registry().find(reinterpret_cast<uintptr_t>(addr));
    if (it == Registry().end() || it->second->len != ab.ByteLength()) return Release::kNotOurs;
    e = it->second;
  }
  if (e->kind != kind) return Release::kWrongKind;
  napi_status st = napi_detach_arraybuffer(env, ab);
  if (st != napi_ok) {
    Napi::Error err = Napi::Error::New(env, "could not detach the ArrayBuffer; its memory stays valid");
    err.Set("code", Napi::String::New(env, "ERR_EVRING_NOT_DETACHABLE"));
    throw err;
  }
  RunRelease(e);  // the finalizer still runs later and frees `e`
  return Release::kReleased;
}

bool DetachWeak(Napi::Env env, napi_ref ref) {
  if (ref == nullptr) return true;
  napi_value value = nullptr;
  if (napi_get_reference_value(env, ref, &value) != napi_ok || value == nullptr) return true;
  bool detached = false;
  napi_is_detached_arraybuffer(env, value, &detached);
  if (detached) return true;
  return napi_detach_arraybuffer(env, value) == napi_ok;
}

bool ReleaseWeak(Napi::Env env, napi_ref ref, ExternalKind kind) {
  if (ref == nullptr) return true;
  napi_value value = nullptr;
  if (napi_get_reference_value(env, ref, &value) != napi_ok || value == nullptr) return true;
  Release r = ReleaseExternal(env, Napi::ArrayBuffer(env, value), kind);
  return r == Release::kReleased || r == Release::kAlreadyReleased;
}

}  // namespace evring
