// Shared helpers for the evring native binding: argument validation with
// Node-style TypeError/RangeError, system errors built by the JS side's one
// error constructor, and the per-thread syscall counters.
#pragma once

#include <napi.h>

#include <cerrno>
#include <cstdint>
#include <string>

namespace evring {

// Every syscall kind counted for benchmarks; the names are exported to JS in
// this order (counters.cc).
enum CounterKind : int {
  kIoUringSetup,
  kIoUringEnter,
  kIoUringRegister,
  kIoSetup,
  kIoSubmit,
  kIoGetevents,
  kIoCancel,
  kIoDestroy,
  kEpollCreate,
  kEpollCtl,
  kEpollWait,
  kRead,
  kWrite,
  kClose,
  kMmap,
  kMunmap,
  kOther,
  kSqeRejected,  // not a syscall: SQEs sys refused to let the kernel see
  kCounterCount
};

// Counters are per thread: each worker_thread has its own env and its own.
extern thread_local double g_counters[kCounterCount];
inline void Count(CounterKind kind) { g_counters[kind] += 1; }

// Per-env state: the JS error constructor (set by init), markAsUntransferable.
struct EnvData {
  Napi::FunctionReference make_error;
  Napi::FunctionReference mark_untransferable;
  // The monotonic clock's cell (clock.cc), seen from JavaScript through
  // `clock_buffer`. It lives as long as this does (the env), whatever
  // becomes of the buffer: a detached or collected buffer frees nothing.
  double clock_cell = 0;
  Napi::Reference<Napi::ArrayBuffer> clock_buffer;
};
EnvData* GetEnvData(Napi::Env env);

// Throws the JS error for a failed syscall (`err` is a positive errno).
[[noreturn]] void ThrowErrno(Napi::Env env, int err, const char* syscall,
                             const std::string& detail = std::string());

// Marks an ArrayBuffer untransferable (it aliases native memory that sys
// must be able to detach and release).
void MarkUntransferable(Napi::Env env, Napi::ArrayBuffer ab);

[[noreturn]] void ThrowType(Napi::Env env, const std::string& usage, const std::string& what);
[[noreturn]] void ThrowRange(Napi::Env env, const std::string& usage, const std::string& what);

// Argument readers: each throws TypeError/RangeError naming the call's usage.
int ArgFd(const Napi::CallbackInfo& info, size_t i, const char* usage);
int64_t ArgInt(const Napi::CallbackInfo& info, size_t i, const char* usage, int64_t min,
               int64_t max);
uint32_t ArgU32(const Napi::CallbackInfo& info, size_t i, const char* usage);
// A flag word: only bits in `allowed` may be set (RangeError otherwise).
int ArgFlags(const Napi::CallbackInfo& info, size_t i, const char* usage, uint32_t allowed);
// A 32-bit mask given signed or unsigned (EPOLLET makes `EPOLLIN | EPOLLET` negative in JS).
uint32_t ArgMask32(const Napi::CallbackInfo& info, size_t i, const char* usage);
double ArgTimeoutMs(const Napi::CallbackInfo& info, size_t i, const char* usage);
bool ArgBool(const Napi::CallbackInfo& info, size_t i, const char* usage);
// An optional boolean: `absent` when the argument is missing or undefined.
bool ArgOptionalBool(const Napi::CallbackInfo& info, size_t i, const char* usage, bool absent);

struct Bytes {
  uint8_t* data;
  size_t length;
};
// A TypedArray, DataView or ArrayBuffer; a detached buffer has length 0.
Bytes ArgBytes(const Napi::CallbackInfo& info, size_t i, const char* usage);
bool IsBytes(const Napi::Value& v);
// (buffer, offset?, length?) at argument i: the byte range they name, checked.
Bytes ArgRange(const Napi::CallbackInfo& info, size_t i, const char* usage);
// A path the kernel will read: a JS string (UTF-8) or bytes without NUL; copied.
std::string ArgPathCopy(const Napi::CallbackInfo& info, size_t i, const char* usage);

// Registration of each source file's exports.
void InitCounters(Napi::Env env, Napi::Object exports);
void InitFds(Napi::Env env, Napi::Object exports);
void InitEpoll(Napi::Env env, Napi::Object exports);
void InitIoUring(Napi::Env env, Napi::Object exports);
void InitMemory(Napi::Env env, Napi::Object exports);
void InitAio(Napi::Env env, Napi::Object exports);
void InitFdPoll(Napi::Env env, Napi::Object exports);
void InitSignalRelay(Napi::Env env, Napi::Object exports);
void InitInotify(Napi::Env env, Napi::Object exports);
void InitFileAttrs(Napi::Env env, Napi::Object exports);
void InitStatxInline(Napi::Env env, Napi::Object exports);
void InitTty(Napi::Env env, Napi::Object exports);
void InitClock(Napi::Env env, Napi::Object exports);
void InitOwnedFds(Napi::Env env, Napi::Object exports);

// Called by close(fd) before the fd goes: this thread's FdPoll watchers of
// that file end (fd_poll.cc), and signals stop being relayed to it
// (signal_relay.cc).
void EndFdPollsOn(int fd);
void ForgetSignalRelays(int fd);
// ...and an environment's ownership of it, or its hold on it, ends (owned_fds.cc).
void DisownFd(int fd);
// `fd`, just made on `env`'s behalf, is held for it until taken
// (owned_fds.cc); ReleaseHeldFd takes it (false when it was not held);
// TakeHeldFd too, giving the environment it was held for (or null).
void HoldFd(napi_env env, int fd);
bool ReleaseHeldFd(int fd);
napi_env TakeHeldFd(int fd);
// A close made some other way has completed (a tracking ring's OP_CLOSE):
// the tie ends if `fd` no longer names the tied file; a tie the number has
// been given since (a new file opened under it and owned) is left alone.
// True when it ended the tie (owned_fds.cc).
bool DisownIfClosed(int fd);
// All three: called by every path through sys that makes `fd` stop naming
// its file (close, the close of fileIoSync, dup2 onto it, closeOwned).
void ForgetFd(int fd);

// Called when an environment shuts down (a worker exiting): everything it
// left open is released.
void CloseRingsOf(napi_env env);
void DestroyAioOf(napi_env env);
void ForgetSignalRelaysOf(napi_env env);
void CloseOwnedFdsOf(napi_env env);

}  // namespace evring
