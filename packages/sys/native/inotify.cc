// inotify(7): an fd that becomes readable when watched files change.
// Events are read from the fd with read(); @evring/abi decodes them.
#include <sys/inotify.h>

#include <cstring>
#include <string>

#include "common.h"

namespace evring {

namespace {

// Every mask bit inotify_add_watch(2) accepts.
constexpr uint32_t kWatchBits = IN_ALL_EVENTS | IN_ONLYDIR | IN_DONT_FOLLOW | IN_EXCL_UNLINK |
                                IN_MASK_CREATE | IN_MASK_ADD | IN_ONESHOT;

Napi::Value InotifyInit1(const Napi::CallbackInfo& info) {
  const char* usage = "inotifyInit1(flags: number, hold?: boolean)";
  int flags = ArgFlags(info, 0, usage, IN_NONBLOCK | IN_CLOEXEC);
  bool hold = ArgOptionalBool(info, 1, usage, false);
  Count(kOther);
  int fd = inotify_init1(flags);
  if (fd < 0) ThrowErrno(info.Env(), errno, "inotify_init1");
  if (hold) HoldFd(info.Env(), fd);  // until taken (owned_fds.cc)
  return Napi::Number::New(info.Env(), fd);
}


Napi::Value InotifyAddWatch(const Napi::CallbackInfo& info) {
  const char* usage = "inotifyAddWatch(fd: number, path: string | Uint8Array, mask: number)";
  int fd = ArgFd(info, 0, usage);
  std::string path = ArgPathCopy(info, 1, usage);
  if (path.empty()) ThrowRange(info.Env(), usage, "the path is empty");
  uint32_t mask = ArgMask32(info, 2, usage);
  if ((mask & ~kWatchBits) != 0 || (mask & IN_ALL_EVENTS) == 0) {
    ThrowRange(info.Env(), usage, "mask needs at least one IN_* event and no bits inotify does not know");
  }
  Count(kOther);
  int wd = inotify_add_watch(fd, path.c_str(), mask);
  if (wd < 0) ThrowErrno(info.Env(), errno, "inotify_add_watch", path);
  return Napi::Number::New(info.Env(), wd);
}

Napi::Value InotifyRmWatch(const Napi::CallbackInfo& info) {
  const char* usage = "inotifyRmWatch(fd: number, wd: number)";
  int fd = ArgFd(info, 0, usage);
  int wd = static_cast<int>(ArgInt(info, 1, usage, 0, 0x7fffffff));
  Count(kOther);
  if (inotify_rm_watch(fd, wd) < 0) ThrowErrno(info.Env(), errno, "inotify_rm_watch");
  return info.Env().Undefined();
}

}  // namespace

void InitInotify(Napi::Env env, Napi::Object exports) {
  exports.Set("inotifyInit1", Napi::Function::New(env, InotifyInit1));
  exports.Set("inotifyAddWatch", Napi::Function::New(env, InotifyAddWatch));
  exports.Set("inotifyRmWatch", Napi::Function::New(env, InotifyRmWatch));
}

}  // namespace evring
