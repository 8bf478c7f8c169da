// The native side of one io_uring (see io_uring.cc): what sys keeps of a ring
// so that it can check every SQE before the kernel sees it, enter the ring
// without trusting an fd number, and release everything exactly once.
#pragma once

#include <linux/io_uring.h>
#include <napi.h>

#include <cstddef>
#include <cstdint>

namespace evring {

struct RingOps;

// A private mapping of one ring region, used only by sys.
struct Region {
  uint8_t* addr = nullptr;
  size_t len = 0;
};

struct RingState {
  napi_env env = nullptr;
  double handle = -1;
  // The fd JavaScript sees, for polling the ring from Node's loop or epoll.
  // sys never acts through it: it may be closed and reused behind sys's back.
  int fd = -1;
  // sys's own duplicate: the ring's identity. Never shown to JavaScript.
  int own_fd = -1;
  // The IORING_REGISTER_RING_FDS slot (linux 5.18) enters go through, or -1.
  int reg_index = -1;
  uint32_t flags = 0;
  uint32_t features = 0;
  uint32_t sq_entries = 0;
  uint32_t cq_entries = 0;
  uint32_t sqe_size = 64;
  uint32_t cqe_size = 16;
  struct io_sqring_offsets sq_off {};
  struct io_cqring_offsets cq_off {};
  Region sq_ring;
  Region sqes;
  // The CQ ring, mapped privately when it is not part of sq_ring (only for
  // rings that track operations).
  Region cq_ring;
  bool cq_ring_own = false;
  // Set for DEFER_TASKRUN rings: the operations in flight (ring_ops.h).
  RingOps* ops = nullptr;
  // An OPENAT's new fd is held for the environment until JavaScript takes
  // it (ringSetup's holdOpenedFds; owned_fds.cc). Tracking rings only.
  bool hold_opened = false;
  // The kernel's SQ head as sys last read it, straight after its own
  // io_uring_enter. The head in the shared ring is writable from JavaScript;
  // this copy is not, and only the kernel moves the real one, only inside
  // an enter (sys refuses SQPOLL).
  uint32_t sq_head = 0;
  // The ArrayBuffers JavaScript got (SQ ring, CQ ring unless single, SQEs),
  // held weakly: closing the ring detaches them first.
  napi_ref js_regions[3] = {nullptr, nullptr, nullptr};
  bool closed = false;
};

// Closes every ring the environment `env` still holds (its shutdown hook).
void CloseRingsOf(napi_env env);

// ringEnter's arguments as numbers: handle, toSubmit, minComplete, flags,
// timeoutMs (-1: none), minWaitUsec. Its fast paths decode them and leave
// anything else to the checked path, which throws.
constexpr size_t kEnterArgs = 6;
// Whether decoded arguments are ones the fast paths may enter with:
// integers in range, known flags, a timeout only with EXT_ARG.
bool EnterArgsFit(const double v[kEnterArgs]);
// Enters the ring `v[0]` names, if `env` holds it open; -EBADF otherwise.
long EnterByHandle(napi_env env, const double v[kEnterArgs]);

}  // namespace evring
