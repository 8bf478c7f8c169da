// read, write, send, recv and epoll_wait without glibc's cancellation bookkeeping.
//
// In a process with more than one thread (every Node process), glibc's read()
// and write() wrappers are cancellation points: each call switches
// asynchronous cancellation on and off around the syscall, which costs about
// as much as the crossing from JS. Nothing in Node cancels threads, so the
// hot fd calls go straight to syscall(2): the same kernel entry, the same
// -1/errno result, no bookkeeping. Measured here: 20 ns a call from C in a
// process with a second thread, about 5 ns from Node.
#pragma once

#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cmath>
#include <cstddef>

namespace evring {

inline ssize_t RawRead(int fd, void* buf, size_t len) {
  return static_cast<ssize_t>(syscall(SYS_read, fd, buf, len));
}

inline ssize_t RawWrite(int fd, const void* buf, size_t len) {
  return static_cast<ssize_t>(syscall(SYS_write, fd, buf, len));
}

// send(2) is sendto(2) with no address.
inline ssize_t RawSend(int fd, const void* buf, size_t len, int flags) {
  return static_cast<ssize_t>(syscall(SYS_sendto, fd, buf, len, flags, nullptr, 0));
}

// recv(2) is recvfrom(2) with no address.
inline ssize_t RawRecv(int fd, void* buf, size_t len, int flags) {
  return static_cast<ssize_t>(syscall(SYS_recvfrom, fd, buf, len, flags, nullptr, nullptr));
}

// A wait in milliseconds as epoll_wait takes it: negative waits forever, a
// fraction rounds up (a 0.3 ms wait must not become a busy poll), and
// anything past INT_MAX is INT_MAX.
inline int EpollTimeoutMs(double timeout) {
  if (timeout < 0) return -1;
  if (timeout > 2147483647.0) return 2147483647;
  return static_cast<int>(std::ceil(timeout));
}

// epoll_wait(2) is epoll_pwait(2) with no signal mask (arm64 has only the latter).
inline int RawEpollWait(int epfd, struct epoll_event* events, int maxevents, int timeout) {
  return static_cast<int>(syscall(SYS_epoll_pwait, epfd, events, maxevents, timeout, nullptr, 0));
}

}  // namespace evring
