// External ArrayBuffers over memory sys owns or maps. Each buffer is marked
// untransferable; releasing the memory first detaches every buffer over it,
// so a stale view throws instead of touching freed or unmapped memory.
#pragma once

#include <napi.h>

#include <cstddef>
#include <cstdint>
#include <functional>

namespace evring {

// An ArrayBuffer over `len` bytes at `addr`. `release` runs exactly once:
// when the buffer is explicitly released (ReleaseExternal) or, failing that,
// when it is garbage collected.
Napi::ArrayBuffer NewExternal(Napi::Env env, void* addr, size_t len, std::function<void()> release);

// Detaches `ab` and runs its release now. Returns false when `ab` is not one of
// ours (or was already released), true when it was released by this call.
// Throws if the buffer cannot be detached (then nothing is released).
bool ReleaseExternal(Napi::Env env, Napi::ArrayBuffer ab);

// Detaches a buffer held only weakly; a no-op when it was already collected.
// Returns false if V8 refused to detach it (the memory must then stay valid).
bool DetachWeak(Napi::Env env, napi_ref ref);

}  // namespace evring
