// statxInline: whether a statx(2) would be answered from memory, so that
// a caller may make it on its own thread rather than hand it to a kernel
// worker. io_uring always hands STATX to one (a trip of about 100 µs here,
// against a few µs for the call itself), because in general a lookup may
// read directories from the disk and a network filesystem may ask its
// server. This answers true only when neither can happen: the path
// resolves from the dentry cache alone (openat2 with RESOLVE_CACHED, which
// fails rather than wait; Linux 5.12 and later, false before), and the
// file lives on a filesystem whose getattr reads the inode in memory (the
// list below; a network, FUSE or unknown filesystem is false). The probe
// changes nothing and leaks nothing: the O_PATH fd it may open is closed
// before it returns. It only decides where the statx is made: the statx
// itself, its result and its error are the caller's.
#include <fcntl.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <climits>
#include <cstdint>
#include <string>

#include "common.h"

namespace evring {

namespace {

// openat2(2)'s struct open_how (Linux 5.6) and RESOLVE_CACHED (5.12),
// spelled here so that older headers build this too; an older kernel
// answers ENOSYS or EINVAL, and the probe says false.
struct OpenHow {
  uint64_t flags;
  uint64_t mode;
  uint64_t resolve;
};
constexpr uint64_t kResolveCached = 0x20;
#ifdef SYS_openat2
constexpr long kSysOpenat2 = SYS_openat2;
#else
constexpr long kSysOpenat2 = 437;  // the same on every architecture
#endif

// Filesystems whose getattr answers from the in-memory inode: the local
// disk filesystems, the memory ones, and the kernel's pseudo ones an fd
// may be on (a pipe, a socket, an eventfd, a pty).
bool AttributesInMemory(long type) {
  // The values of linux/magic.h, spelled here: older headers lack some.
  switch (static_cast<unsigned long>(type) & 0xffffffffUL) {
    case 0xEF53:      // ext2, ext3, ext4
    case 0x58465342:  // xfs
    case 0x9123683E:  // btrfs
    case 0xF2F52010:  // f2fs
    case 0x01021994:  // tmpfs (and devtmpfs)
    case 0x858458F6:  // ramfs
    case 0x794C7630:  // overlayfs
    case 0x9FA0:      // proc
    case 0x62656572:  // sysfs
    case 0x63677270:  // cgroup2
    case 0x1CD1:      // devpts
    case 0x50495045:  // pipefs
    case 0x534F434B:  // sockfs
    case 0x09041934:  // anonymous inodes (eventfd, epoll, io_uring, ...)
      return true;
    default:
      return false;
  }
}

// statxInline(dirfd, path, flags): flags as statx's (AT_EMPTY_PATH with an
// empty path: `dirfd` itself; AT_SYMLINK_NOFOLLOW: a link itself).
Napi::Value StatxInline(const Napi::CallbackInfo& info) {
  const char* usage = "statxInline(dirfd: number, path: string | Uint8Array, flags: number)";
  int dirfd = static_cast<int>(ArgInt(info, 0, usage, INT_MIN, INT_MAX));
  std::string path = ArgPathCopy(info, 1, usage);
  int flags = static_cast<int>(ArgInt(info, 2, usage, 0, INT_MAX));
  int fd = dirfd;
  bool opened = false;
  if (!(path.empty() && (flags & AT_EMPTY_PATH))) {
    OpenHow how = {};
    how.flags = O_PATH | O_CLOEXEC | ((flags & AT_SYMLINK_NOFOLLOW) ? O_NOFOLLOW : 0);
    how.resolve = kResolveCached;
    Count(kOther);
    fd = static_cast<int>(syscall(kSysOpenat2, dirfd, path.c_str(), &how, sizeof how));
    if (fd < 0) return Napi::Boolean::New(info.Env(), false);  // not cached, or any error: the statx says
    opened = true;
  }
  struct statfs fs;
  Count(kOther);
  bool inMemory = fstatfs(fd, &fs) == 0 && AttributesInMemory(fs.f_type);
  if (opened) {
    Count(kOther);
    close(fd);
  }
  return Napi::Boolean::New(info.Env(), inMemory);
}

}  // namespace

void InitStatxInline(Napi::Env env, Napi::Object exports) {
  exports.Set("statxInline", Napi::Function::New(env, StatxInline));
}

}  // namespace evring
