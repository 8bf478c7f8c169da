// Plain fd syscalls: eventfd, timerfd, signalfd, pipe2, socketpair, read,
// write, send, recv, close, dup, fcntl, rlimit, uname, openpty.
// read/write/send/recv/eventfd read and write are hot: they return -errno,
// and their calls enter through fast_call.cc.
// The rest throw Node-shaped errors.
#include <fcntl.h>
#include <limits.h>
#include <sys/uio.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/eventfd.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/timerfd.h>
#include <sys/utsname.h>
#include <termios.h>
#include <unistd.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <vector>

#include "common.h"
#include "pinned.h"
#include "raw_io.h"
#include "fast_call.h"

namespace evring {

static Napi::Value Eventfd(const Napi::CallbackInfo& info) {
  const char* usage = "eventfd(initval: number, flags: number, hold?: boolean)";
  uint32_t initval = ArgU32(info, 0, usage);
  int flags = ArgFlags(info, 1, usage, EFD_SEMAPHORE | EFD_CLOEXEC | EFD_NONBLOCK);
  bool hold = ArgOptionalBool(info, 2, usage, false);
  Count(kOther);
  int fd = eventfd(initval, flags);
  if (fd < 0) ThrowErrno(info.Env(), errno, "eventfd");
  if (hold) HoldFd(info.Env(), fd);  // until taken (owned_fds.cc)
  return Napi::Number::New(info.Env(), fd);
}

// Returns the counter (exact below 2^53) or -errno.
static Napi::Value EventfdRead(const Napi::CallbackInfo& info) {
  const char* usage = "eventfdRead(fd: number)";
  int fd = ArgFd(info, 0, usage);
  uint64_t value = 0;
  Count(kRead);
  ssize_t n = RawRead(fd, &value, sizeof value);
  if (n < 0) return Napi::Number::New(info.Env(), -errno);
  if (n != sizeof value) return Napi::Number::New(info.Env(), -EINVAL);
  return Napi::Number::New(info.Env(), static_cast<double>(value));
}

// Adds `value` (1 .. 2^53) to the counter; returns 0 or -errno.
static Napi::Value EventfdWrite(const Napi::CallbackInfo& info) {
  const char* usage = "eventfdWrite(fd: number, value: number)";
  int fd = ArgFd(info, 0, usage);
  uint64_t value = static_cast<uint64_t>(ArgInt(info, 1, usage, 1, (int64_t{1} << 53)));
  Count(kWrite);
  ssize_t n = RawWrite(fd, &value, sizeof value);
  if (n < 0) return Napi::Number::New(info.Env(), -errno);
  return Napi::Number::New(info.Env(), 0);
}

static Napi::Value TimerfdCreate(const Napi::CallbackInfo& info) {
  const char* usage = "timerfdCreate(clockid: number, flags: number, hold?: boolean)";
  int clockid = static_cast<int>(ArgInt(info, 0, usage, 0, 64));
  int flags = ArgFlags(info, 1, usage, TFD_CLOEXEC | TFD_NONBLOCK);
  bool hold = ArgOptionalBool(info, 2, usage, false);
  Count(kOther);
  int fd = timerfd_create(clockid, flags);
  if (fd < 0) ThrowErrno(info.Env(), errno, "timerfd_create");
  if (hold) HoldFd(info.Env(), fd);  // until taken (owned_fds.cc)
  return Napi::Number::New(info.Env(), fd);
}

// timerfdSettime(fd, flags, newValue: 32-byte itimerspec, oldValue?: 32 bytes)
static Napi::Value TimerfdSettime(const Napi::CallbackInfo& info) {
  const char* usage =
      "timerfdSettime(fd: number, flags: number, newValue: itimerspec bytes (32), oldValue?: 32 bytes)";
  int fd = ArgFd(info, 0, usage);
  int flags = ArgFlags(info, 1, usage, TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET);
  Bytes nv = ArgBytes(info, 2, usage);
  if (nv.length < sizeof(struct itimerspec)) ThrowRange(info.Env(), usage, "newValue needs 32 bytes");
  struct itimerspec spec;
  memcpy(&spec, nv.data, sizeof spec);
  struct itimerspec old;
  Count(kOther);
  if (timerfd_settime(fd, flags, &spec, &old) < 0) ThrowErrno(info.Env(), errno, "timerfd_settime");
  if (info.Length() > 3 && !info[3].IsUndefined()) {
    Bytes ov = ArgBytes(info, 3, usage);
    if (ov.length < sizeof old) ThrowRange(info.Env(), usage, "oldValue needs 32 bytes");
    memcpy(ov.data, &old, sizeof old);
  }
  return info.Env().Undefined();
}

static Napi::Value TimerfdGettime(const Napi::CallbackInfo& info) {
  const char* usage = "timerfdGettime(fd: number, out: itimerspec bytes (32))";
  int fd = ArgFd(info, 0, usage);
  Bytes out = ArgBytes(info, 1, usage);
  if (out.length < sizeof(struct itimerspec)) ThrowRange(info.Env(), usage, "out needs 32 bytes");
  struct itimerspec cur;
  Count(kOther);
  if (timerfd_gettime(fd, &cur) < 0) ThrowErrno(info.Env(), errno, "timerfd_gettime");
  memcpy(out.data, &cur, sizeof cur);
  return info.Env().Undefined();
}

// signalfd(fd: -1 for a new one, signals: number[], flags)
static Napi::Value Signalfd(const Napi::CallbackInfo& info) {
  const char* usage = "signalfd(fd: number (-1 for new), signals: number[], flags: number, hold?: boolean)";
  int fd = static_cast<int>(ArgInt(info, 0, usage, -1, std::numeric_limits<int32_t>::max()));
  if (info.Length() < 2 || !info[1].IsArray()) ThrowType(info.Env(), usage, "signals must be an array");
  Napi::Array sigs = info[1].As<Napi::Array>();
  int flags = ArgFlags(info, 2, usage, SFD_CLOEXEC | SFD_NONBLOCK);
  bool hold = ArgOptionalBool(info, 3, usage, false);
  sigset_t mask;
  sigemptyset(&mask);
  for (uint32_t i = 0; i < sigs.Length(); i++) {
    Napi::Value s = sigs.Get(i);
    if (!s.IsNumber()) ThrowType(info.Env(), usage, "signals must hold numbers");
    double d = s.As<Napi::Number>().DoubleValue();
    if (std::trunc(d) != d || d < 1 || d > SIGRTMAX) ThrowRange(info.Env(), usage, "signal out of range");
    sigaddset(&mask, static_cast<int>(d));
  }
  Count(kOther);
  int r = signalfd(fd, &mask, flags);
  if (r < 0) ThrowErrno(info.Env(), errno, "signalfd");
  if (hold && fd == -1) HoldFd(info.Env(), r);  // a new fd only: an updated one keeps its owner
  return Napi::Number::New(info.Env(), r);
}

static Napi::Value Pipe2(const Napi::CallbackInfo& info) {
  const char* usage = "pipe2(flags: number, hold?: boolean)";
  int flags = ArgFlags(info, 0, usage, O_CLOEXEC | O_NONBLOCK | O_DIRECT);
  bool hold = ArgOptionalBool(info, 1, usage, false);
  int fds[2];
  Count(kOther);
  if (pipe2(fds, flags) < 0) ThrowErrno(info.Env(), errno, "pipe2");
  if (hold) {  // both ends, until taken (owned_fds.cc)
    HoldFd(info.Env(), fds[0]);
    HoldFd(info.Env(), fds[1]);
  }
  Napi::Array out = Napi::Array::New(info.Env(), 2);
  out.Set(0u, fds[0]);
  out.Set(1u, fds[1]);
  return out;
}

static Napi::Value Socketpair(const Napi::CallbackInfo& info) {
  const char* usage = "socketpair(domain: number, type: number, protocol: number, hold?: boolean)";
  int domain = static_cast<int>(ArgInt(info, 0, usage, 0, 64));
  int type = static_cast<int>(ArgInt(info, 1, usage, 0, std::numeric_limits<int32_t>::max()));
  int protocol = static_cast<int>(ArgInt(info, 2, usage, 0, 255));
  bool hold = ArgOptionalBool(info, 3, usage, false);
  int fds[2];
  Count(kOther);
  if (socketpair(domain, type, protocol, fds) < 0) ThrowErrno(info.Env(), errno, "socketpair");
  if (hold) {  // both ends, until taken (owned_fds.cc)
    HoldFd(info.Env(), fds[0]);
    HoldFd(info.Env(), fds[1]);
  }
  Napi::Array out = Napi::Array::New(info.Env(), 2);
  out.Set(0u, fds[0]);
  out.Set(1u, fds[1]);
  return out;
}


// getdents64(2): a directory's next entries as linux_dirent64 records into
// buffer[offset .. offset+length); bytes filled, 0 at the end, or -errno
// (ENOTDIR at once on what is not a directory, EINVAL when the range cannot
// hold the next record).
static Napi::Value Getdents64(const Napi::CallbackInfo& info) {
  const char* usage = "getdents64(fd: number, buffer: ArrayBufferView, offset?: number, length?: number)";
  int fd = ArgFd(info, 0, usage);
  Bytes r = ArgRange(info, 1, usage);
  Count(kOther);
  long n = syscall(SYS_getdents64, fd, r.data, r.length);
  return Napi::Number::New(info.Env(), n < 0 ? -errno : static_cast<double>(n));
}

static Napi::Value Read(const Napi::CallbackInfo& info) {
  const char* usage = "read(fd: number, buffer: ArrayBufferView, offset?: number, length?: number)";
  int fd = ArgFd(info, 0, usage);
  Bytes r = ArgRange(info, 1, usage);
  Count(kRead);
  ssize_t n = RawRead(fd, r.data, r.length);
  return Napi::Number::New(info.Env(), n < 0 ? -errno : static_cast<double>(n));
}

static Napi::Value Write(const Napi::CallbackInfo& info) {
  const char* usage = "write(fd: number, buffer: ArrayBufferView, offset?: number, length?: number)";
  int fd = ArgFd(info, 0, usage);
  Bytes r = ArgRange(info, 1, usage);
  Count(kWrite);
  ssize_t n = RawWrite(fd, r.data, r.length);
  return Napi::Number::New(info.Env(), n < 0 ? -errno : static_cast<double>(n));
}

static Napi::Value Send(const Napi::CallbackInfo& info) {
  const char* usage = "send(fd: number, buffer: ArrayBufferView, offset: number, length: number, flags: number)";
  int fd = ArgFd(info, 0, usage);
  Bytes r = ArgRange(info, 1, usage);
  int flags = static_cast<int>(ArgInt(info, 4, usage, 0, std::numeric_limits<int32_t>::max()));
  Count(kWrite);
  ssize_t n = RawSend(fd, r.data, r.length, flags | MSG_NOSIGNAL);
  return Napi::Number::New(info.Env(), n < 0 ? -errno : static_cast<double>(n));
}

static Napi::Value Recv(const Napi::CallbackInfo& info) {
  const char* usage = "recv(fd: number, buffer: ArrayBufferView, offset: number, length: number, flags: number)";
  int fd = ArgFd(info, 0, usage);
  Bytes r = ArgRange(info, 1, usage);
  int flags = static_cast<int>(ArgInt(info, 4, usage, 0, std::numeric_limits<int32_t>::max()));
  Count(kRead);
  ssize_t n = RawRecv(fd, r.data, r.length, flags);
  return Napi::Number::New(info.Env(), n < 0 ? -errno : static_cast<double>(n));
}

// A NUL-terminated path starting at buffer[offset], wholly inside the buffer.
static const char* ArgPath(const Napi::CallbackInfo& info, const Bytes& b, int64_t offset, const char* usage) {
  if (b.data == nullptr || offset < 0 || static_cast<size_t>(offset) >= b.length ||
      memchr(b.data + offset, 0, b.length - static_cast<size_t>(offset)) == nullptr) {
    ThrowRange(info.Env(), usage, "the path at that offset must end with a NUL byte inside the buffer");
  }
  return reinterpret_cast<const char*>(b.data + offset);
}

// The arguments of a vectored read or write, (op, fd, buffer, offset,
// count, position): `count` iovecs at buffer[offset], each naming pinned
// memory of this thread (copied first: a SharedArrayBuffer's bytes can
// change under the call). An array that names anything else is refused the
// way a tracking ring refuses the SQE: `pinned` false, for -EINVAL.
struct VectorArgs {
  int fd = -1;
  int64_t position = -1;
  std::vector<struct iovec> iov;
  bool pinned = false;
};

static VectorArgs ArgVectors(const Napi::CallbackInfo& info, const char* usage) {
  VectorArgs a;
  a.fd = ArgFd(info, 1, usage);
  Bytes b = ArgBytes(info, 2, usage);
  int64_t offset = ArgInt(info, 3, usage, 0, std::numeric_limits<int32_t>::max());
  int64_t count = ArgInt(info, 4, usage, 0, kMaxIovecs);
  a.position = ArgInt(info, 5, usage, -1, std::numeric_limits<int64_t>::max() >> 1);
  if (count == 0) return a;  // refused, as a tracking ring refuses a READV with none
  if (b.data == nullptr ||
      static_cast<uint64_t>(offset) + static_cast<uint64_t>(count) * sizeof(struct iovec) > b.length) {
    ThrowRange(info.Env(), usage, "the iovec array (16 bytes an entry) must lie inside the buffer");
  }
  a.pinned = CopyPinnedIovecs(info.Env(), b.data + offset, static_cast<uint32_t>(count), &a.iov, nullptr);
  return a;
}

// One file operation done now, for the backends' emulation of operations
// (the opcodes and argument meanings of @evring/backend's ops.ts).
// 0-3: pread/pwrite (position -1: read/write at the file's offset), fsync,
// fdatasync, only on what never blocks in those calls (regular files, block
// devices, and directories, which answer EISDIR/EBADF at once); anything
// else is -EOPNOTSUPP, since a read on a socket or a tty could block the
// thread. fstat and the operation are one crossing.
// 4-10: openat, close, statx, ftruncate, renameat2, unlinkat, mkdirat, with
// their paths NUL-terminated inside `buffer`. 11-12: preadv/pwritev, on
// files only as 0-1, of `length` iovecs at `offset` (ArgVectors). 13-14:
// linkat (flags in `length`) and symlinkat (the target at `offset`, the
// link's path at `position`). Returns bytes, an fd, 0 or -errno.
static Napi::Value FileIoSync(const Napi::CallbackInfo& info) {
  const char* usage =
      "fileIoSync(op: 0..14, fd: number, buffer: ArrayBuffer | ArrayBufferView, offset: number, length: number, position: number, hold?: boolean)";
  Napi::Env env = info.Env();
  int op = static_cast<int>(ArgInt(info, 0, usage, 0, 14));
  if (op == 11 || op == 12) {
    VectorArgs v = ArgVectors(info, usage);
    if (!v.pinned) return Napi::Number::New(env, -EINVAL);
    int fd = v.fd;
    int64_t position = v.position;
    const std::vector<struct iovec>& iov = v.iov;
    struct stat st;
    Count(kOther);
    if (fstat(fd, &st) < 0) return Napi::Number::New(env, -errno);
    if (!S_ISREG(st.st_mode) && !S_ISBLK(st.st_mode) && !S_ISDIR(st.st_mode)) {
      return Napi::Number::New(env, -EOPNOTSUPP);
    }
    Count(op == 11 ? kRead : kWrite);
    int n = static_cast<int>(iov.size());
    ssize_t r = op == 11 ? (position < 0 ? readv(fd, iov.data(), n) : preadv(fd, iov.data(), n, position))
                         : (position < 0 ? writev(fd, iov.data(), n) : pwritev(fd, iov.data(), n, position));
    return Napi::Number::New(env, r < 0 ? -errno : static_cast<double>(r));
  }
  if (op >= 4) {
    int fd = static_cast<int>(ArgInt(info, 1, usage, AT_FDCWD, std::numeric_limits<int32_t>::max()));
    Bytes b = ArgBytes(info, 2, usage);
    int64_t offset = ArgInt(info, 3, usage, 0, std::numeric_limits<int32_t>::max());
    int64_t arg = ArgInt(info, 4, usage, 0, std::numeric_limits<uint32_t>::max());
    int64_t position = ArgInt(info, 5, usage, 0, std::numeric_limits<int64_t>::max() >> 1);
    if (fd < 0 && fd != AT_FDCWD) ThrowRange(env, usage, "fd must be an fd or AT_FDCWD (-100)");
    // Checked before the open: a bad argument must not leave a new fd behind.
    bool hold = ArgOptionalBool(info, 6, usage, false);
    long r;
    Count(kOther);
    switch (op) {
      case 4:
        r = openat(fd, ArgPath(info, b, offset, usage), static_cast<int>(arg), static_cast<mode_t>(position));
        if (r >= 0 && hold) HoldFd(env, static_cast<int>(r));  // until taken (owned_fds.cc)
        break;
      case 5:
        if (fd < 0) return Napi::Number::New(env, -EBADF);
        ForgetFd(fd);
        r = close(fd);
        if (r < 0 && errno == EINTR) r = 0;  // Linux released the fd anyway
        break;
      case 6: {
        const char* path = ArgPath(info, b, offset, usage);
        if (position + 256 > static_cast<int64_t>(b.length)) {
          ThrowRange(env, usage, "the 256-byte statx buffer at `position` must lie inside the buffer");
        }
        r = syscall(SYS_statx, fd, path, static_cast<int>(arg), 0xfffU /* STATX_BASIC_STATS | STATX_BTIME */,
                    b.data + position);
        break;
      }
      case 7:
        if (fd < 0) return Napi::Number::New(env, -EBADF);
        r = ftruncate(fd, static_cast<off_t>(position));
        break;
      case 8: {
        const char* from = ArgPath(info, b, offset, usage);
        const char* to = ArgPath(info, b, position, usage);
        r = syscall(SYS_renameat2, fd, from, fd, to, static_cast<unsigned>(arg));
        break;
      }
      case 9:
        r = unlinkat(fd, ArgPath(info, b, offset, usage), static_cast<int>(arg));
        break;
      case 10:
        r = mkdirat(fd, ArgPath(info, b, offset, usage), static_cast<mode_t>(arg));
        break;
      case 13: {
        const char* from = ArgPath(info, b, offset, usage);
        const char* to = ArgPath(info, b, position, usage);
        r = linkat(fd, from, fd, to, static_cast<int>(arg));
        break;
      }
      default: {  // 14
        const char* target = ArgPath(info, b, offset, usage);
        const char* link = ArgPath(info, b, position, usage);
        r = symlinkat(target, fd, link);
        break;
      }
    }
    return Napi::Number::New(env, r < 0 ? -errno : static_cast<double>(r));
  }
  int fd = ArgFd(info, 1, usage);
  Bytes r = ArgRange(info, 2, usage);
  int64_t position = ArgInt(info, 5, usage, -1, std::numeric_limits<int64_t>::max() >> 1);
  if (op <= 1) {  // fsync and fdatasync never block on what is not a file: they fail at once
    struct stat st;
    Count(kOther);
    if (fstat(fd, &st) < 0) return Napi::Number::New(env, -errno);
    if (!S_ISREG(st.st_mode) && !S_ISBLK(st.st_mode) && !S_ISDIR(st.st_mode)) {
      return Napi::Number::New(env, -EOPNOTSUPP);
    }
  }
  ssize_t n;
  switch (op) {
    case 0:
      Count(kRead);
      n = position < 0 ? RawRead(fd, r.data, r.length) : pread(fd, r.data, r.length, position);
      break;
    case 1:
      Count(kWrite);
      n = position < 0 ? RawWrite(fd, r.data, r.length) : pwrite(fd, r.data, r.length, position);
      break;
    case 2:
      Count(kOther);
      n = fsync(fd);
      break;
    default:
      Count(kOther);
      n = fdatasync(fd);
      break;
  }
  return Napi::Number::New(env, n < 0 ? -errno : static_cast<double>(n));
}

// A read or write on what is not a file (pipe, socket, tty, character
// device) that never blocks the thread: -EAGAIN when it would. Sockets use
// MSG_DONTWAIT; an fd with O_NONBLOCK a plain read/write; others
// preadv2/pwritev2 with RWF_NOWAIT (pipes, linux 5.x); where the kernel
// has no RWF_NOWAIT for the file (ttys), a zero-timeout poll(2) confirms
// readiness first, and a write is cut to PIPE_BUF bytes (which a ready fd
// takes without blocking). At a position (>= 0) the calls are the
// positioned ones, so the kernel answers as pread(2) would: ESPIPE on a pipe,
// socket or tty, bytes on a character device that has positions (/dev/zero).
// The read or write of ioNowait, over `n` iovecs (one for ops 0 and 1):
// bytes moved or -errno.
static ssize_t NowaitIo(int fd, struct iovec* iov, int n, bool read, int64_t position) {
  struct stat st;
  Count(kOther);
  if (fstat(fd, &st) < 0) return -errno;
  ssize_t r;
  if (S_ISSOCK(st.st_mode)) {
    if (position >= 0) return -ESPIPE;  // pread(2) on a socket: no positions
    struct msghdr msg {};
    msg.msg_iov = iov;
    msg.msg_iovlen = static_cast<size_t>(n);
    Count(read ? kRead : kWrite);
    r = read ? recvmsg(fd, &msg, MSG_DONTWAIT) : sendmsg(fd, &msg, MSG_DONTWAIT | MSG_NOSIGNAL);
    return r < 0 ? -errno : r;
  }
  Count(kOther);
  int fl = fcntl(fd, F_GETFL);
  if (fl < 0) return -errno;
  Count(read ? kRead : kWrite);
  if (fl & O_NONBLOCK) {
    r = read ? preadv2(fd, iov, n, position, 0) : pwritev2(fd, iov, n, position, 0);
    return r < 0 ? -errno : r;
  }
  r = read ? preadv2(fd, iov, n, position, RWF_NOWAIT) : pwritev2(fd, iov, n, position, RWF_NOWAIT);
  if (r >= 0 || errno != EOPNOTSUPP) return r < 0 ? -errno : r;
  struct pollfd p = {fd, static_cast<short>(read ? POLLIN : POLLOUT), 0};
  Count(kOther);
  if (poll(&p, 1, 0) <= 0 || (p.revents & (p.events | POLLHUP | POLLERR)) == 0) return -EAGAIN;
  if (!read) {
    // At most PIPE_BUF bytes, which a ready fd takes without blocking.
    size_t left = PIPE_BUF;
    int kept = 0;
    for (; kept < n && left > 0; kept++) {
      if (iov[kept].iov_len > left) iov[kept].iov_len = left;
      left -= iov[kept].iov_len;
    }
    n = kept;
  }
  Count(read ? kRead : kWrite);
  r = read ? preadv2(fd, iov, n, position, 0) : pwritev2(fd, iov, n, position, 0);
  return r < 0 ? -errno : r;
}

static Napi::Value IoNowait(const Napi::CallbackInfo& info) {
  const char* usage =
      "ioNowait(op: 0 | 1 | 11 | 12, fd: number, buffer: ArrayBuffer | ArrayBufferView, offset: number, length: number, position: number)";
  Napi::Env env = info.Env();
  int op = static_cast<int>(ArgInt(info, 0, usage, 0, 12));
  ssize_t n;
  if (op == 11 || op == 12) {
    // `length` iovecs at `offset` (ArgVectors), by the same rules as one buffer.
    VectorArgs v = ArgVectors(info, usage);
    if (!v.pinned) return Napi::Number::New(env, -EINVAL);
    n = NowaitIo(v.fd, v.iov.data(), static_cast<int>(v.iov.size()), op == 11, v.position);
  } else {
    if (op > 1) ThrowRange(env, usage, "op must be 0, 1, 11 or 12");
    int fd = ArgFd(info, 1, usage);
    Bytes r = ArgRange(info, 2, usage);
    int64_t position = ArgInt(info, 5, usage, -1, std::numeric_limits<int64_t>::max() >> 1);
    struct iovec iov = {r.data, r.length};
    n = NowaitIo(fd, &iov, 1, op == 0, position);
  }
  return Napi::Number::New(env, static_cast<double>(n));
}

static Napi::Value Close(const Napi::CallbackInfo& info) {
  const char* usage = "close(fd: number)";
  int fd = ArgFd(info, 0, usage);
  ForgetFd(fd);
  Count(kClose);
  // Linux releases the fd even when close() reports EINTR: never retry.
  if (close(fd) < 0 && errno != EINTR) ThrowErrno(info.Env(), errno, "close");
  return info.Env().Undefined();
}

static Napi::Value Dup(const Napi::CallbackInfo& info) {
  const char* usage = "dup(fd: number, cloexec?: boolean, hold?: boolean)";
  int fd = ArgFd(info, 0, usage);
  bool cloexec = ArgOptionalBool(info, 1, usage, true);
  bool hold = ArgOptionalBool(info, 2, usage, false);
  Count(kOther);
  int r = fcntl(fd, cloexec ? F_DUPFD_CLOEXEC : F_DUPFD, 0);
  if (r < 0) ThrowErrno(info.Env(), errno, "dup");
  // Held until taken (owned_fds.cc), when the caller asks: a duplicate it
  // means to own is never without an owner, however its thread ends.
  if (hold) HoldFd(info.Env(), r);
  return Napi::Number::New(info.Env(), r);
}

// dup2(fd, target, cloexec?): `target` now names fd's file. Whatever target
// named before is closed, so, as close() does, its FdPoll watchers end and
// its signal relays go first.
static Napi::Value Dup2(const Napi::CallbackInfo& info) {
  const char* usage = "dup2(fd: number, target: number, cloexec?: boolean)";
  int fd = ArgFd(info, 0, usage);
  int target = ArgFd(info, 1, usage);
  bool cloexec = ArgOptionalBool(info, 2, usage, true);
  Count(kOther);
  if (fd == target) {
    // dup3 refuses equal numbers; dup2 checks fd and returns it.
    if (fcntl(fd, F_GETFD) < 0) ThrowErrno(info.Env(), errno, "dup2");
    return Napi::Number::New(info.Env(), target);
  }
  if (fcntl(fd, F_GETFD) < 0) ThrowErrno(info.Env(), errno, "dup2");
  ForgetFd(target);
  int r = dup3(fd, target, cloexec ? O_CLOEXEC : 0);
  if (r < 0) ThrowErrno(info.Env(), errno, "dup2");
  return Napi::Number::New(info.Env(), r);
}

// fcntl(fd, cmd, arg?) for F_GETFD, F_SETFD, F_GETFL, F_SETFL only.
static Napi::Value Fcntl(const Napi::CallbackInfo& info) {
  const char* usage = "fcntl(fd: number, cmd: F_GETFD | F_SETFD | F_GETFL | F_SETFL, arg?: number)";
  int fd = ArgFd(info, 0, usage);
  int cmd = static_cast<int>(ArgInt(info, 1, usage, 0, 64));
  if (cmd != F_GETFD && cmd != F_SETFD && cmd != F_GETFL && cmd != F_SETFL) {
    ThrowRange(info.Env(), usage, "cmd must be F_GETFD, F_SETFD, F_GETFL or F_SETFL");
  }
  int arg = 0;
  if (cmd == F_SETFD) arg = ArgFlags(info, 2, usage, FD_CLOEXEC);
  if (cmd == F_SETFL) {
    // O_ASYNC is refused: signal-driven I/O raises SIGIO, whose default action
    // kills the process. The access mode bits F_GETFL reports are ignored by
    // F_SETFL, so a read-modify-write of F_GETFL's result is accepted.
    arg = static_cast<int>(ArgU32(info, 2, usage));
    if (arg & O_ASYNC) ThrowRange(info.Env(), usage, "O_ASYNC is refused: SIGIO would kill the process");
  }
  Count(kOther);
  int r = fcntl(fd, cmd, arg);
  if (r < 0) ThrowErrno(info.Env(), errno, "fcntl");
  return Napi::Number::New(info.Env(), r);
}

static Napi::Value RlimitValue(Napi::Env env, rlim_t v) {
  if (v == RLIM_INFINITY) return Napi::Number::New(env, std::numeric_limits<double>::infinity());
  return Napi::Number::New(env, static_cast<double>(v));
}

static Napi::Value GetrlimitNofile(const Napi::CallbackInfo& info) {
  struct rlimit rl;
  Count(kOther);
  if (getrlimit(RLIMIT_NOFILE, &rl) < 0) ThrowErrno(info.Env(), errno, "getrlimit");
  Napi::Object out = Napi::Object::New(info.Env());
  out.Set("soft", RlimitValue(info.Env(), rl.rlim_cur));
  out.Set("hard", RlimitValue(info.Env(), rl.rlim_max));
  return out;
}

static rlim_t ArgRlim(const Napi::CallbackInfo& info, size_t i, const char* usage) {
  if (i < info.Length() && info[i].IsNumber() &&
      std::isinf(info[i].As<Napi::Number>().DoubleValue()) &&
      info[i].As<Napi::Number>().DoubleValue() > 0) {
    return RLIM_INFINITY;
  }
  return static_cast<rlim_t>(ArgInt(info, i, usage, 0, int64_t{1} << 53));
}

static Napi::Value SetrlimitNofile(const Napi::CallbackInfo& info) {
  const char* usage = "setrlimitNofile(soft: number, hard: number)";
  struct rlimit rl;
  rl.rlim_cur = ArgRlim(info, 0, usage);
  rl.rlim_max = ArgRlim(info, 1, usage);
  Count(kOther);
  if (setrlimit(RLIMIT_NOFILE, &rl) < 0) ThrowErrno(info.Env(), errno, "setrlimit");
  return info.Env().Undefined();
}

static Napi::Value KernelRelease(const Napi::CallbackInfo& info) {
  struct utsname u;
  Count(kOther);
  if (uname(&u) < 0) ThrowErrno(info.Env(), errno, "uname");
  return Napi::String::New(info.Env(), u.release);
}

// openpty(hold?): a new pseudo-terminal pair from /dev/ptmx, both ends O_CLOEXEC.
static Napi::Value Openpty(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  bool hold = ArgOptionalBool(info, 0, "openpty(hold?: boolean)", false);
  Count(kOther);
  int master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
  if (master < 0) ThrowErrno(env, errno, "posix_openpt");
  char name[128];
  if (grantpt(master) < 0 || unlockpt(master) < 0 || ptsname_r(master, name, sizeof name) != 0) {
    int err = errno;
    close(master);
    ThrowErrno(env, err, "openpty");
  }
  int slave = open(name, O_RDWR | O_NOCTTY | O_CLOEXEC);
  if (slave < 0) {
    int err = errno;
    close(master);
    ThrowErrno(env, err, "open", name);
  }
  if (hold) {  // both ends, until taken (owned_fds.cc)
    HoldFd(env, master);
    HoldFd(env, slave);
  }
  Napi::Object out = Napi::Object::New(env);
  out.Set("master", master);
  out.Set("slave", slave);
  out.Set("name", name);
  return out;
}

// The hot calls, entered through fast_call.cc.
static const FastCall kFastEventfdRead{FastKind::kEventfdRead, EventfdRead};
static const FastCall kFastEventfdWrite{FastKind::kEventfdWrite, EventfdWrite};
static const FastCall kFastRead{FastKind::kRead, Read};
static const FastCall kFastWrite{FastKind::kWrite, Write};
static const FastCall kFastSend{FastKind::kSend, Send};
static const FastCall kFastRecv{FastKind::kRecv, Recv};

void InitFds(Napi::Env env, Napi::Object exports) {
  exports.Set("eventfd", Napi::Function::New(env, Eventfd));
  SetFastCall(env, exports, "eventfdRead", &kFastEventfdRead);
  SetFastCall(env, exports, "eventfdWrite", &kFastEventfdWrite);
  exports.Set("timerfdCreate", Napi::Function::New(env, TimerfdCreate));
  exports.Set("timerfdSettime", Napi::Function::New(env, TimerfdSettime));
  exports.Set("timerfdGettime", Napi::Function::New(env, TimerfdGettime));
  exports.Set("signalfd", Napi::Function::New(env, Signalfd));
  exports.Set("pipe2", Napi::Function::New(env, Pipe2));
  exports.Set("socketpair", Napi::Function::New(env, Socketpair));
  SetFastCall(env, exports, "read", &kFastRead);
  SetFastCall(env, exports, "write", &kFastWrite);
  SetFastCall(env, exports, "send", &kFastSend);
  SetFastCall(env, exports, "recv", &kFastRecv);
  exports.Set("fileIoSync", Napi::Function::New(env, FileIoSync));
  exports.Set("getdents64", Napi::Function::New(env, Getdents64));
  exports.Set("ioNowait", Napi::Function::New(env, IoNowait));
  exports.Set("close", Napi::Function::New(env, Close));
  exports.Set("dup", Napi::Function::New(env, Dup));
  exports.Set("dup2", Napi::Function::New(env, Dup2));
  exports.Set("fcntl", Napi::Function::New(env, Fcntl));
  exports.Set("getrlimitNofile", Napi::Function::New(env, GetrlimitNofile));
  exports.Set("setrlimitNofile", Napi::Function::New(env, SetrlimitNofile));
  exports.Set("kernelRelease", Napi::Function::New(env, KernelRelease));
  exports.Set("openpty", Napi::Function::New(env, Openpty));
}

}  // namespace evring
