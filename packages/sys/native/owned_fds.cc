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
//
// Held fds: a new fd made on a caller's behalf (a tracking ring's OPENAT
// with holdOpenedFds, fileIoSync's open or dup with `hold`) is held for its
// environment from the moment sys sees the new number until JavaScript
// takes it: claimFd (a plain fd handed on), ownFd (tied instead), or a
// close through sys (close, fileIoSync's close, an OP_CLOSE a tracking ring
// takes). A worker terminated in between (the completion read,
// the handle not made yet) would otherwise leave the fd open for good; its
// held fds are closed with its owned ones. No duplicate: until it is taken,
// nobody but sys knows the number, so it cannot have been closed and given
// to another file meanwhile (the contract of the callers that ask for it).
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
// Held fds and the environment each is held for.
std::unordered_map<int, napi_env> g_held;
// Owned and held together, read without the lock on every close: most
// processes have none.
std::atomic<size_t> g_count{0};

// After a change to either map, under g_mutex.
void Recount() { g_count.store(g_owned.size() + g_held.size(), std::memory_order_relaxed); }

// Ends the tie `it` names, under g_mutex; returns its duplicate, for the
// caller to close once the lock is released.
int Untie(std::unordered_map<int, Owned>::iterator it) {
  int dup = it->second.dup;
  g_owned.erase(it);
  Recount();
  return dup;
}

}  // namespace

void HoldFd(napi_env env, int fd) {
  std::lock_guard<std::mutex> lock(g_mutex);
  g_held[fd] = env;
  Recount();
}

napi_env TakeHeldFd(int fd) {
  if (g_count.load(std::memory_order_relaxed) == 0) return nullptr;
  std::lock_guard<std::mutex> lock(g_mutex);
  auto it = g_held.find(fd);
  if (it == g_held.end()) return nullptr;
  napi_env holder = it->second;
  g_held.erase(it);
  Recount();
  return holder;
}

bool ReleaseHeldFd(int fd) { return TakeHeldFd(fd) != nullptr; }

bool DisownIfClosed(int fd) {
  if (g_count.load(std::memory_order_relaxed) == 0) return false;
  int dup = -1;
  {
    std::lock_guard<std::mutex> lock(g_mutex);
    auto it = g_owned.find(fd);
    if (it == g_owned.end()) return false;
    // kUnknown ends it too: holding a file open for good is the worse mistake.
    if (SameFile(fd, it->second.dup) == Same::kYes) return false;
    dup = Untie(it);
  }
  close(dup);
  return true;
}

void DisownFd(int fd) {
  if (g_count.load(std::memory_order_relaxed) == 0) return;
  int dup = -1;
  {
    std::lock_guard<std::mutex> lock(g_mutex);
    if (g_held.erase(fd) != 0) Recount();
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
  for (auto it = g_held.begin(); it != g_held.end();) {
    if (it->second != env) {
      ++it;
      continue;
    }
    close(it->first);
    it = g_held.erase(it);
  }
  Recount();
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
    g_held.erase(fd);  // taken: tied from now on
    Recount();
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

// disownIfClosed(fd): DisownIfClosed, for a close sys did not see
// complete (a plain ring's OP_CLOSE, a close elsewhere).
static Napi::Value DisownIfClosedJs(const Napi::CallbackInfo& info) {
  return Napi::Boolean::New(info.Env(), DisownIfClosed(ArgFd(info, 0, "disownIfClosed(fd: number)")));
}

// claimFd(fd): a held fd is taken as a plain fd (no longer closed when its
// environment ends). True when it was held.
static Napi::Value ClaimFd(const Napi::CallbackInfo& info) {
  return Napi::Boolean::New(info.Env(), ReleaseHeldFd(ArgFd(info, 0, "claimFd(fd: number)")));
}

// The fds this environment's end will close: owned and held.
static Napi::Value OwnedFdCount(const Napi::CallbackInfo& info) {
  std::lock_guard<std::mutex> lock(g_mutex);
  auto env = static_cast<napi_env>(info.Env());
  size_t n = 0;
  for (const auto& [fd, owned] : g_owned) n += owned.env == env ? 1 : 0;
  for (const auto& [fd, holder] : g_held) n += holder == env ? 1 : 0;
  return Napi::Number::New(info.Env(), static_cast<double>(n));
}

void InitOwnedFds(Napi::Env env, Napi::Object exports) {
  exports.Set("ownFd", Napi::Function::New(env, OwnFd));
  exports.Set("ownedFdCount", Napi::Function::New(env, OwnedFdCount));
  exports.Set("closeOwned", Napi::Function::New(env, CloseOwned));
  exports.Set("disownFd", Napi::Function::New(env, DisownFdJs));
  exports.Set("disownIfClosed", Napi::Function::New(env, DisownIfClosedJs));
  exports.Set("claimFd", Napi::Function::New(env, ClaimFd));
}

}  // namespace evring
