// The SQE check: every SQE io_uring_enter is about to hand the kernel is read
// from sys's private mapping and either passed or rewritten into a request
// that fails, under the same user_data, before the kernel acts on it.
#pragma once

#include <cstdint>

#include "ring.h"

namespace evring {

// Checks the SQEs the kernel will consume when `to_submit` are submitted;
// returns how many it will consume (the kernel's own count).
uint32_t CheckPendingSqes(RingState& ring, uint32_t to_submit);

// Records where the kernel's SQ head is after an io_uring_enter that was
// given `pending` SQEs (CheckPendingSqes's answer) and returned `result`.
void NoteSqHead(RingState& ring, uint32_t pending, long result);

// The errno a refused SQE completes with.
constexpr int kRefusedSqeErrno = 22;  // EINVAL

}  // namespace evring
