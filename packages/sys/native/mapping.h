// External ArrayBuffers over memory sys owns or maps. Each buffer is marked
// untransferable and tagged with its kind; releasing the memory first
// detaches the buffer, so a stale view reads nothing instead of touching
// freed or unmapped memory. A buffer is released only through the call made
// for its kind: pinnedFree frees pinned memory and nothing else, and the
// buffers of a ring or an AIO context go only when their owner closes.
#pragma once

#include <napi.h>

#include <cstddef>
#include <cstdint>
#include <functional>

namespace evring {

enum class ExternalKind { kPinned, kRingRegion, kAioIocbs, kAioRing };

// An ArrayBuffer over `len` bytes at `addr`. `release` runs exactly once:
// when the buffer is explicitly released (ReleaseExternal) or, failing that,
// when it is garbage collected (or its environment shuts down).
Napi::ArrayBuffer NewExternal(Napi::Env env, void* addr, size_t len, ExternalKind kind,
                              std::function<void()> release);

enum class Release { kReleased, kAlreadyReleased, kNotOurs, kWrongKind };

// Detaches `ab` and runs its release now, if `ab` is a live external of
// `kind`. Throws if the buffer cannot be detached (then nothing is released).
Release ReleaseExternal(Napi::Env env, Napi::ArrayBuffer ab, ExternalKind kind);

// Detaches a buffer held only weakly; a no-op when it was already collected.
// Returns false if V8 refused to detach it (the memory must then stay valid).
bool DetachWeak(Napi::Env env, napi_ref ref);

// Releases a buffer held weakly: detached and released if still alive; true
// when nothing of it can be touched any more.
bool ReleaseWeak(Napi::Env env, napi_ref ref, ExternalKind kind);

}  // namespace evring
