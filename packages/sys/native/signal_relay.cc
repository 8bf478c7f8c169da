// The signal relay: turns a process signal into a write on an eventfd, so an
// event loop blocked in epoll_wait or io_uring_enter wakes up for it, while
// whatever handler was installed before (libuv's, for Node's
// process.on('SIG...') listeners) still runs.
//
// Why not signalfd: a signalfd sees only signals blocked in every thread, and
// Node's platform threads leave almost all signals unblocked, so the kernel
// hands a process-directed signal to one of them. Why not Node's own signal
// events: they run on Node's loop, which does not turn while a standalone
// loop blocks in the kernel.
//
// The table is process-wide (shared by every worker_thread): a fixed array of
// slots per signal, each an eventfd and a "fired" flag, read by the handler
// with atomics only. Registration changes are serialised by a mutex that the
// handler never takes.
#include <fcntl.h>
#include <signal.h>
#include <sched.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <mutex>
#include <string>

#include "common.h"
#include "identity.h"

namespace evring {

namespace {

constexpr int kMaxSignal = 64;    // _NSIG - 1 on Linux
constexpr int kSlotsPerSignal = 32;

struct Slot {
  // sys's private duplicate of the eventfd: what the handler writes to. The
  // number JavaScript gave may be closed and reused by any file meanwhile.
  std::atomic<int> fd{-1};
  std::atomic<int> fired{0};
  int user_fd = -1;        // guarded by g_mutex
  napi_env env = nullptr;  // the environment that added it; guarded by g_mutex
};

struct SignalEntry {
  Slot slots[kSlotsPerSignal];
  int users = 0;                 // slots in use; guarded by g_mutex
  struct sigaction previous{};   // the handler replaced when users went 0 -> 1
};

SignalEntry g_signals[kMaxSignal + 1];
std::mutex g_mutex;
// Handlers running right now, in any thread: a duplicate is closed only once
// no handler can still be about to write to it.
std::atomic<int> g_in_handler{0};

void Relay(int sig, siginfo_t* info, void* context) {
  int saved_errno = errno;
  g_in_handler.fetch_add(1, std::memory_order_seq_cst);
  if (sig > 0 && sig <= kMaxSignal) {
    SignalEntry& entry = g_signals[sig];
    for (Slot& slot : entry.slots) {
      int fd = slot.fd.load(std::memory_order_seq_cst);
      if (fd < 0) continue;
      slot.fired.store(1, std::memory_order_release);
      uint64_t one = 1;
      // write(2) is async-signal-safe; EAGAIN (counter saturated) still
      // leaves the eventfd readable, which is all the loop needs.
      ssize_t ignored = write(fd, &one, sizeof one);
      (void)ignored;
    }
    // Chain to the handler that was there before (libuv's, which feeds
    // Node's process.on listeners). SIG_DFL and SIG_IGN are not chained: a
    // relayed signal counts as handled, as with libev's signal watchers.
    const struct sigaction& prev = entry.previous;
    if (prev.sa_flags & SA_SIGINFO) {
      if (prev.sa_sigaction != nullptr) prev.sa_sigaction(sig, info, context);
    } else if (prev.sa_handler != SIG_DFL && prev.sa_handler != SIG_IGN && prev.sa_handler != nullptr) {
      prev.sa_handler(sig);
    }
  }
  g_in_handler.fetch_sub(1, std::memory_order_seq_cst);
  errno = saved_errno;
}

bool IsRelay(const struct sigaction& sa) {
  return (sa.sa_flags & SA_SIGINFO) && sa.sa_sigaction == Relay;
}

// Signals that must not be relayed: uncatchable ones, and the synchronous
// fault signals whose handler must not return into the faulting code.
bool Refused(int sig) {
  return sig == SIGKILL || sig == SIGSTOP || sig == SIGSEGV || sig == SIGBUS || sig == SIGFPE ||
         sig == SIGILL || sig == SIGTRAP || sig == SIGSYS;
}

// The fd must be an eventfd: the handler writes 8 bytes to it, which would
// corrupt a file or a socket stream.
bool IsEventfd(int fd) {
  char path[64];
  char target[64];
  snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
  ssize_t n = readlink(path, target, sizeof target - 1);
  if (n < 0) return false;
  target[n] = '\0';
  return std::strcmp(target, "anon_inode:[eventfd]") == 0;
}

void RemoveLocked(int sig, Slot& slot);

int ArgSignal(const Napi::CallbackInfo& info, const char* usage) {
  int sig = static_cast<int>(ArgInt(info, 0, usage, 1, kMaxSignal));
  if (Refused(sig)) ThrowRange(info.Env(), usage, "signal " + std::to_string(sig) + " cannot be relayed");
  return sig;
}

// signalRelayAdd(signum, eventfd): relays `signum` to the eventfd. Adding the
// same pair twice is a no-op.
Napi::Value SignalRelayAdd(const Napi::CallbackInfo& info) {
  const char* usage = "signalRelayAdd(signum: number, eventfd: number)";
  int sig = ArgSignal(info, usage);
  int fd = ArgFd(info, 1, usage);
  if (fcntl(fd, F_GETFD) < 0) ThrowErrno(info.Env(), errno, "signalRelayAdd");
  if (!IsEventfd(fd)) ThrowErrno(info.Env(), EINVAL, "signalRelayAdd", "fd " + std::to_string(fd) + " is not an eventfd");
  std::lock_guard<std::mutex> lock(g_mutex);
  SignalEntry& entry = g_signals[sig];
  Slot* free_slot = nullptr;
  for (Slot& slot : entry.slots) {
    int current = slot.fd.load(std::memory_order_relaxed);
    if (current >= 0 && slot.user_fd == fd) {
      if (SameFile(fd, current) != Same::kNo) return info.Env().Undefined();
      RemoveLocked(sig, slot);  // a relay of a file closed behind sys's back: replaced
    }
    if (slot.fd.load(std::memory_order_relaxed) < 0 && free_slot == nullptr) free_slot = &slot;
  }
  if (free_slot == nullptr) ThrowErrno(info.Env(), ENOSPC, "signalRelayAdd", "too many relays for one signal");
  int own = PrivateDup(fd);
  if (own < 0) ThrowErrno(info.Env(), -own, "signalRelayAdd");
  if (entry.users == 0) {
    struct sigaction current{};
    if (sigaction(sig, nullptr, &current) < 0) {
      int err = errno;
      close(own);
      ThrowErrno(info.Env(), err, "sigaction");
    }
    if (!IsRelay(current)) {
      struct sigaction relay{};
      relay.sa_sigaction = Relay;
      sigfillset(&relay.sa_mask);
      relay.sa_flags = SA_SIGINFO | SA_RESTART | (current.sa_flags & SA_ONSTACK);
      if (sigaction(sig, &relay, nullptr) < 0) {
        int err = errno;
        close(own);
        ThrowErrno(info.Env(), err, "sigaction");
      }
      entry.previous = current;
      entry.previous.sa_flags &= ~SA_RESETHAND;
    }
  }
  free_slot->fired.store(0, std::memory_order_relaxed);
  free_slot->user_fd = fd;
  free_slot->env = info.Env();
  free_slot->fd.store(own, std::memory_order_seq_cst);
  entry.users++;
  Count(kOther);
  return info.Env().Undefined();
}

void RemoveLocked(int sig, Slot& slot) {
  SignalEntry& entry = g_signals[sig];
  int own = slot.fd.exchange(-1, std::memory_order_seq_cst);
  slot.fired.store(0, std::memory_order_relaxed);
  slot.user_fd = -1;
  slot.env = nullptr;
  // A handler that read the old value before the exchange is still counted
  // in g_in_handler: wait it out, then the duplicate can go.
  while (g_in_handler.load(std::memory_order_seq_cst) != 0) sched_yield();
  if (own >= 0) close(own);
  if (--entry.users > 0) return;
  // Put back what was there, unless someone replaced the relay since.
  struct sigaction current{};
  if (sigaction(sig, nullptr, &current) == 0 && IsRelay(current)) sigaction(sig, &entry.previous, nullptr);
}

// signalRelayRemove(signum, eventfd): stops relaying; returns whether a relay
// existed. The last relay of a signal puts the previous handler back.
Napi::Value SignalRelayRemove(const Napi::CallbackInfo& info) {
  const char* usage = "signalRelayRemove(signum: number, eventfd: number)";
  int sig = ArgSignal(info, usage);
  int fd = ArgFd(info, 1, usage);
  std::lock_guard<std::mutex> lock(g_mutex);
  for (Slot& slot : g_signals[sig].slots) {
    int own = slot.fd.load(std::memory_order_relaxed);
    if (own >= 0 && slot.user_fd == fd && slot.env == info.Env()) {
      RemoveLocked(sig, slot);
      return Napi::Boolean::New(info.Env(), true);
    }
  }
  return Napi::Boolean::New(info.Env(), false);
}

// signalRelayTake(eventfd): the signals relayed to the eventfd since the last
// call, ascending, and clears them.
Napi::Value SignalRelayTake(const Napi::CallbackInfo& info) {
  const char* usage = "signalRelayTake(eventfd: number)";
  int fd = ArgFd(info, 0, usage);
  Napi::Array out = Napi::Array::New(info.Env());
  uint32_t n = 0;
  std::lock_guard<std::mutex> lock(g_mutex);
  for (int sig = 1; sig <= kMaxSignal; sig++) {
    for (Slot& slot : g_signals[sig].slots) {
      int own = slot.fd.load(std::memory_order_acquire);
      if (own < 0 || slot.user_fd != fd || slot.env != info.Env()) continue;
      if (slot.fired.exchange(0, std::memory_order_acq_rel)) out.Set(n++, Napi::Number::New(info.Env(), sig));
    }
  }
  return out;
}

}  // namespace

void ForgetSignalRelays(int fd) {
  std::lock_guard<std::mutex> lock(g_mutex);
  for (int sig = 1; sig <= kMaxSignal; sig++) {
    for (Slot& slot : g_signals[sig].slots) {
      int own = slot.fd.load(std::memory_order_relaxed);
      if (own >= 0 && slot.user_fd == fd && SameFile(fd, own) != Same::kNo) RemoveLocked(sig, slot);
    }
  }
}

void ForgetSignalRelaysOf(napi_env env) {
  std::lock_guard<std::mutex> lock(g_mutex);
  for (int sig = 1; sig <= kMaxSignal; sig++) {
    for (Slot& slot : g_signals[sig].slots) {
      if (slot.fd.load(std::memory_order_relaxed) >= 0 && slot.env == env) RemoveLocked(sig, slot);
    }
  }
}

void InitSignalRelay(Napi::Env env, Napi::Object exports) {
  exports.Set("signalRelayAdd", Napi::Function::New(env, SignalRelayAdd));
  exports.Set("signalRelayRemove", Napi::Function::New(env, SignalRelayRemove));
  exports.Set("signalRelayTake", Napi::Function::New(env, SignalRelayTake));
}

}  // namespace evring
