// The hot calls entered straight from V8, without Node-API's trampoline.
//
// Measured here (a JavaScript epoll loop of 100 pipes, one active: an
// epoll_wait, a read and a write an event, on one CPU): 6650-6900 ns an
// event through Node-API, 6050-6200 through V8, raw C 4700-4800; user-space
// instructions an event (callgrind) 2811 against 1439. Right after each
// syscall the caches are cold on this machine, so Node-API's entry,
// argument and result handling (the callback wrapper, napi_get_cb_info,
// the env's exception bookkeeping) cost far more than their warm count
// suggests (13 ns a call in a warm loop, against 7 through V8).
//
// The V8 API is not ABI-stable across Node majors, Node-API is. So this
// path is used only when the running Node is the major the addon was
// compiled against (a prebuilt binary built on another major, or any
// mismatch, keeps Node-API), and EVRING_SYS_NODE_API=1 switches it off. A
// V8 function decodes only the common shapes, as fast_call.cc's fast path
// does, and hands everything else to that Node-API function, which decodes
// the general case and throws the same errors.
#pragma once

#include <node_api.h>

#include "fast_call.h"

namespace evring {

// Whether this process enters the hot calls through V8 directly.
bool DirectCallsOn(napi_env env);

// A V8 function doing `kind` that falls back to `checked` (the Node-API
// function of the same call); `checked` itself when direct calls are off.
napi_value DirectCall(napi_env env, const char* name, FastKind kind, napi_value checked);

}  // namespace evring
