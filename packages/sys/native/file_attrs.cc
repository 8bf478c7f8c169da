// A file's attributes and names, asked of or set on the path or an fd:
// access, chmod, chown, utimes, readlink and realpath; its filesystem's
// statfs; and a file's data cloned into another (FICLONE). io_uring has no
// operation for any of them, so each is one direct call on the calling
// thread. Every call returns 0 (or a byte count) or -errno, as fileIoSync
// does: the caller words the error, with its path.
#include <fcntl.h>
#include <linux/fs.h>
#include <sys/ioctl.h>
#include <limits.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <string>

#include "common.h"

namespace evring {

namespace {

constexpr int64_t kMaxId = 0xffffffffLL;  // uid_t and gid_t; -1 leaves the id as it is

Napi::Value Result(Napi::Env env, long r) {
  return Napi::Number::New(env, r < 0 ? -errno : static_cast<double>(r));
}

// AT_SYMLINK_NOFOLLOW when the optional argument `i` is true (the l-forms).
int NoFollow(const Napi::CallbackInfo& info, size_t i, const char* usage) {
  return ArgOptionalBool(info, i, usage, false) ? AT_SYMLINK_NOFOLLOW : 0;
}

// A time in seconds as libuv hands it to utimensat(2): the nanoseconds cut
// to whole microseconds, and a negative fraction borrowed from the second.
// A time no 64-bit second holds (NaN among them) is false: the kernel
// would refuse what such a conversion makes, and the caller answers EINVAL.
bool ToTimespec(double seconds, struct timespec* ts) {
  constexpr double kLimit = 9223372036854775808.0;  // 2^63
  if (!(seconds > -kLimit && seconds < kLimit)) return false;
  double whole = std::trunc(seconds);
  ts->tv_sec = static_cast<time_t>(whole);
  long nsec = static_cast<long>((seconds - whole) * 1e9);
  nsec -= nsec % 1000;
  if (nsec < 0) {
    nsec += 1000000000L;
    ts->tv_sec -= 1;
  }
  ts->tv_nsec = nsec;
  return true;
}

double ArgSeconds(const Napi::CallbackInfo& info, size_t i, const char* usage) {
  if (info.Length() <= i || !info[i].IsNumber()) ThrowType(info.Env(), usage, "the times must be numbers (seconds)");
  return info[i].As<Napi::Number>().DoubleValue();
}

// faccessat(2) of the real ids, as access(2): mode F_OK or any of R_OK, W_OK, X_OK.
Napi::Value Access(const Napi::CallbackInfo& info) {
  const char* usage = "access(path: string | Uint8Array, mode: 0..7)";
  std::string path = ArgPathCopy(info, 0, usage);
  int mode = static_cast<int>(ArgInt(info, 1, usage, 0, 7));
  Count(kOther);
  return Result(info.Env(), faccessat(AT_FDCWD, path.c_str(), mode, 0));
}

Napi::Value Chmod(const Napi::CallbackInfo& info) {
  const char* usage = "chmod(path: string | Uint8Array, mode: 0..0o7777)";
  std::string path = ArgPathCopy(info, 0, usage);
  mode_t mode = static_cast<mode_t>(ArgInt(info, 1, usage, 0, 07777));
  Count(kOther);
  return Result(info.Env(), fchmodat(AT_FDCWD, path.c_str(), mode, 0));
}

Napi::Value Fchmod(const Napi::CallbackInfo& info) {
  const char* usage = "fchmod(fd: number, mode: 0..0o7777)";
  int fd = ArgFd(info, 0, usage);
  mode_t mode = static_cast<mode_t>(ArgInt(info, 1, usage, 0, 07777));
  Count(kOther);
  return Result(info.Env(), fchmod(fd, mode));
}

// fchownat(2); noFollow: the link itself (lchown).
Napi::Value Chown(const Napi::CallbackInfo& info) {
  const char* usage = "chown(path: string | Uint8Array, uid: -1..2^32-1, gid: -1..2^32-1, noFollow?: boolean)";
  std::string path = ArgPathCopy(info, 0, usage);
  uid_t uid = static_cast<uid_t>(ArgInt(info, 1, usage, -1, kMaxId));
  gid_t gid = static_cast<gid_t>(ArgInt(info, 2, usage, -1, kMaxId));
  int flags = NoFollow(info, 3, usage);
  Count(kOther);
  return Result(info.Env(), fchownat(AT_FDCWD, path.c_str(), uid, gid, flags));
}

Napi::Value Fchown(const Napi::CallbackInfo& info) {
  const char* usage = "fchown(fd: number, uid: -1..2^32-1, gid: -1..2^32-1)";
  int fd = ArgFd(info, 0, usage);
  uid_t uid = static_cast<uid_t>(ArgInt(info, 1, usage, -1, kMaxId));
  gid_t gid = static_cast<gid_t>(ArgInt(info, 2, usage, -1, kMaxId));
  Count(kOther);
  return Result(info.Env(), fchown(fd, uid, gid));
}

// utimensat(2) with times in seconds; noFollow: the link itself (lutimes).
Napi::Value Utimes(const Napi::CallbackInfo& info) {
  const char* usage = "utimes(path: string | Uint8Array, atime: number, mtime: number, noFollow?: boolean)";
  std::string path = ArgPathCopy(info, 0, usage);
  double atime = ArgSeconds(info, 1, usage);
  double mtime = ArgSeconds(info, 2, usage);
  int flags = NoFollow(info, 3, usage);
  struct timespec ts[2];
  if (!ToTimespec(atime, &ts[0]) || !ToTimespec(mtime, &ts[1])) return Napi::Number::New(info.Env(), -EINVAL);
  Count(kOther);
  return Result(info.Env(), utimensat(AT_FDCWD, path.c_str(), ts, flags));
}

Napi::Value Futimes(const Napi::CallbackInfo& info) {
  const char* usage = "futimes(fd: number, atime: number, mtime: number)";
  int fd = ArgFd(info, 0, usage);
  double atime = ArgSeconds(info, 1, usage);
  double mtime = ArgSeconds(info, 2, usage);
  struct timespec ts[2];
  if (!ToTimespec(atime, &ts[0]) || !ToTimespec(mtime, &ts[1])) return Napi::Number::New(info.Env(), -EINVAL);
  Count(kOther);
  return Result(info.Env(), futimens(fd, ts));
}

// readlink(2) into buffer[offset .. offset+length): the bytes of the target
// (no NUL), or -ENAMETOOLONG when they fill the whole range (they may have
// been cut short).
Napi::Value Readlink(const Napi::CallbackInfo& info) {
  const char* usage = "readlink(path: string | Uint8Array, buffer: ArrayBufferView, offset?: number, length?: number)";
  std::string path = ArgPathCopy(info, 0, usage);
  Bytes r = ArgRange(info, 1, usage);
  Count(kOther);
  ssize_t n = readlink(path.c_str(), reinterpret_cast<char*>(r.data), r.length);
  if (n >= 0 && static_cast<size_t>(n) == r.length) return Napi::Number::New(info.Env(), -ENAMETOOLONG);
  return Result(info.Env(), n);
}

// realpath(3) into buffer[offset .. offset+length), as readlink: the
// canonical absolute path's bytes, or -ENAMETOOLONG when they do not fit
// with room to spare.
Napi::Value Realpath(const Napi::CallbackInfo& info) {
  const char* usage = "realpath(path: string | Uint8Array, buffer: ArrayBufferView, offset?: number, length?: number)";
  std::string path = ArgPathCopy(info, 0, usage);
  Bytes r = ArgRange(info, 1, usage);
  Count(kOther);
  char* resolved = realpath(path.c_str(), nullptr);  // libc's: an lstat and readlink per component
  if (resolved == nullptr) return Napi::Number::New(info.Env(), -errno);
  size_t n = strlen(resolved);
  if (n >= r.length) {
    free(resolved);
    return Napi::Number::New(info.Env(), -ENAMETOOLONG);
  }
  memcpy(r.data, resolved, n);
  free(resolved);
  return Napi::Number::New(info.Env(), static_cast<double>(n));
}

// statfs(2) of the filesystem `path` is on, into buffer[offset ..
// offset+length) (at least 56 bytes): seven unsigned 64-bit little-endian
// words, in the order Node's StatFs lists them: type, bsize, blocks,
// bfree, bavail, files, ffree.
Napi::Value Statfs(const Napi::CallbackInfo& info) {
  const char* usage = "statfs(path: string | Uint8Array, buffer: ArrayBufferView, offset?: number, length?: number)";
  std::string path = ArgPathCopy(info, 0, usage);
  Bytes r = ArgRange(info, 1, usage);
  if (r.length < 7 * sizeof(uint64_t)) ThrowRange(info.Env(), usage, "the range must hold 56 bytes");
  Count(kOther);
  struct statfs fs;
  if (statfs(path.c_str(), &fs) != 0) return Napi::Number::New(info.Env(), -errno);
  const uint64_t words[7] = {
      static_cast<uint64_t>(fs.f_type),   static_cast<uint64_t>(fs.f_bsize),
      static_cast<uint64_t>(fs.f_blocks), static_cast<uint64_t>(fs.f_bfree),
      static_cast<uint64_t>(fs.f_bavail), static_cast<uint64_t>(fs.f_files),
      static_cast<uint64_t>(fs.f_ffree),
  };
  memcpy(r.data, words, sizeof words);  // little-endian on every target sys builds for
  return Napi::Number::New(info.Env(), 0);
}

// ioctl(FICLONE): `to` shares `from`'s data blocks (a reflink), on a
// filesystem that can (btrfs, xfs); -EOPNOTSUPP, -EXDEV or -EINVAL where
// it cannot, and the caller copies the bytes instead.
Napi::Value Ficlone(const Napi::CallbackInfo& info) {
  const char* usage = "ficlone(to: number, from: number)";
  int to = ArgFd(info, 0, usage);
  int from = ArgFd(info, 1, usage);
  Count(kOther);
  return Result(info.Env(), ioctl(to, FICLONE, from));
}

}  // namespace

void InitFileAttrs(Napi::Env env, Napi::Object exports) {
  exports.Set("access", Napi::Function::New(env, Access));
  exports.Set("chmod", Napi::Function::New(env, Chmod));
  exports.Set("fchmod", Napi::Function::New(env, Fchmod));
  exports.Set("chown", Napi::Function::New(env, Chown));
  exports.Set("fchown", Napi::Function::New(env, Fchown));
  exports.Set("utimes", Napi::Function::New(env, Utimes));
  exports.Set("futimes", Napi::Function::New(env, Futimes));
  exports.Set("readlink", Napi::Function::New(env, Readlink));
  exports.Set("realpath", Napi::Function::New(env, Realpath));
  exports.Set("ficlone", Napi::Function::New(env, Ficlone));
  exports.Set("statfs", Napi::Function::New(env, Statfs));
}

}  // namespace evring
