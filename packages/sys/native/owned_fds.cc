// Fds an environment owns: a backend's epoll instance, a loop's eventfd, a
// Poller's duplicate for an operation waiting on a pipe. Plain fd numbers
// belong to the process, so a worker that ends without closing them (a
// `process.exit()`, a `terminate()` from outside) would leave them open for
// good; each Loop made in a short-lived worker would cost the process an
// epoll instance or two. `ownFd(fd)` ties the fd to the calling
// environment: when that environment ends, sys closes the fd.
//
// By identity, not by number: each owned fd has a private duplicate, and the
// number is closed at the end only while it still names that same file
// (identity.h). A number closed behind sys's back and taken by another file
// is left alone. close(fd) and dup2(…, fd) through sys end the ownership
// (and close the duplicate) before the number goes.
#include <unistd.h>

#include <atomic>
#include <mutex>
#include <unordered_map>

#include "common.h"
#include "identity.h"

namespace evring {

namespace {

struct Owned {
  napi_env env;
  int dup;
};

// Process-wide: an owned fd may be closed through sys from any thread.
std::mutex g_mutex;
std::unordered_map<int, Owned> g_owned;
// Read without the lock on every close: most processes own none.
std::atomic<size_t> g_count{0};

// Ends the tie `it` names, under g_mutex; returns its duplicate, for the
// caller to close once the lock is released.
int Untie(std::unordered_map<int, Owned>::iterator it) {
  int dup = it->second.dup;
  g_owned.erase(it);
  g_count.store(g_owned.size(), std::memory_order_relaxed);
  return dup;
}

}  // namespace

void DisownFd(int fd) {
  if (g_count.load(std::memory_order_relaxed) == 0) return;
  int dup = -1;
  {
    std::lock_guard<std::mutex> lock(g_mutex);
    auto it = g_owned.find(fd);
    if (it == g_owned.end()) return;
    dup = Untie(it);
  }
  close(dup);
}

void ForgetFd(int fd) {
  EndFdPollsOn(fd);
  ForgetSignalRelays(fd);
  DisownFd(fd);
}

void CloseOwnedFdsOf(napi_env env) {
  if (g_count.load(std::memory_order_relaxed) == 0) return;
  std::lock_guard<std::mutex> lock(g_mutex);
  for (auto it = g_owned.begin(); it != g_owned.end();) {
    if (it->second.env != env) {
      ++it;
      continue;
    }
    // kUnknown (no kcmp, a shared anonymous inode): left open, never a
    // close of a file that is not the environment's.
    if (SameFile(it->first, it->second.dup) == Same::kYes) close(it->first);
    close(it->second.dup);
    it = g_owned.erase(it);
  }
  g_count.store(g_owned.size(), std::memory_order_relaxed);
}

static Napi::Value OwnFd(const Napi::CallbackInfo& info) {
  const char* usage = "ownFd(fd: number)";
  int fd = ArgFd(info, 0, usage);
  int dup = PrivateDup(fd);
  if (dup < 0) ThrowErrno(info.Env(), -dup, "ownFd");
  int replaced = -1;
  {
    std::lock_guard<std::mutex> lock(g_mutex);
    auto it = g_owned.find(fd);
    // Owned before and closed behind sys's back: the old duplicate goes.
    if (it != g_owned.end()) replaced = it->second.dup;
    g_owned[fd] = Owned{info.Env(), dup};
    g_count.store(g_owned.size(), std::memory_order_relaxed);
  }
  if (replaced >= 0) close(replaced);
  return info.Env().Undefined();
}

// closeOwned(fd): the tie ends, and the number is closed if it still names
// the file that was tied (a handle the garbage collector took before its
// close). True when it closed the number.
static Napi::Value CloseOwned(const Napi::CallbackInfo& info) {
  const char* usage = "closeOwned(fd: number)";
  int fd = ArgFd(info, 0, usage);
  int dup = -1;
  {
    std::lock_guard<std::mutex> lock(g_mutex);
    auto it = g_owned.find(fd);
    if (it != g_owned.end() && it->second.env == static_cast<napi_env>(info.Env())) dup = Untie(it);
  }
  if (dup < 0) return Napi::Boolean::New(info.Env(), false);
  bool same = SameFile(fd, dup) == Same::kYes;
  if (same) {
    ForgetFd(fd);  // its tie is gone already
    Count(kClose);
    close(fd);
  }
  close(dup);
  return Napi::Boolean::New(info.Env(), same);
}

// disownFd(fd): the tie ends (its duplicate closed); the number stays open,
// for a close made some other way (an io_uring OP_CLOSE).
static Napi::Value DisownFdJs(const Napi::CallbackInfo& info) {
  DisownFd(ArgFd(info, 0, "disownFd(fd: number)"));
  return info.Env().Undefined();
}

// disownIfClosed(fd): the tie ends if `fd` no longer names the tied file:
// for a close made some other way (an io_uring OP_CLOSE), told at its
// completion. A tie the number has been given since (a new file opened
// under it and owned) is left alone. True when it ended the tie.
static Napi::Value DisownIfClosed(const Napi::CallbackInfo& info) {
  int fd = ArgFd(info, 0, "disownIfClosed(fd: number)");
  if (g_count.load(std::memory_order_relaxed) == 0) return Napi::Boolean::New(info.Env(), false);
  int dup = -1;
  {
    std::lock_guard<std::mutex> lock(g_mutex);
    auto it = g_owned.find(fd);
    if (it == g_owned.end()) return Napi::Boolean::New(info.Env(), false);
    // kUnknown ends it too: holding a file open for good is the worse mistake.
    if (SameFile(fd, it->second.dup) == Same::kYes) return Napi::Boolean::New(info.Env(), false);
    dup = Untie(it);
  }
  close(dup);
  return Napi::Boolean::New(info.Env(), true);
}

static Napi::Value OwnedFdCount(const Napi::CallbackInfo& info) {
  std::lock_guard<std::mutex> lock(g_mutex);
  size_t n = 0;
  for (const auto& [fd, owned] : g_owned) n += owned.env == static_cast<napi_env>(info.Env()) ? 1 : 0;
  return Napi::Number::New(info.Env(), static_cast<double>(n));
}

void InitOwnedFds(Napi::Env env, Napi::Object exports) {
  exports.Set("ownFd", Napi::Function::New(env, OwnFd));
  exports.Set("ownedFdCount", Napi::Function::New(env, OwnedFdCount));
  exports.Set("closeOwned", Napi::Function::New(env, CloseOwned));
  exports.Set("disownFd", Napi::Function::New(env, DisownFdJs));
  exports.Set("disownIfClosed", Napi::Function::New(env, DisownIfClosed));
}

}  // namespace evring
