// What other files of the binding call in aio.cc.
#pragma once

#include <node_api.h>

#include <cstddef>
#include <cstdint>

namespace evring {

// ioSubmit's common case, for a fast entry (direct_call.h): an ordinary
// (readiness) context of `env`, `count` an integer within `indices` and
// the context, every index in range and every iocb a poll. Submits and
// sets `*result` (the count taken or -errno); false, having done nothing,
// for anything else, which the checked ioSubmit then decides (and throws
// where it must). A tracking context always takes the checked path.
bool SubmitPolls(napi_env env, double handle, const uint32_t* indices, size_t length, double count,
                 long* result);

}  // namespace evring
