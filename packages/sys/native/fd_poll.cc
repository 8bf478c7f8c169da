// FdPoll: watches an fd from Node's own event loop (a libuv poll handle on
// the calling environment's loop, so worker_threads work) and calls back into
// JS through a callback scope, so promises and nextTicks run after it.
//
// The handle polls a private duplicate of the fd, not the number JavaScript
// gave: libuv keys its watchers by fd number and aborts the process, or
// unregisters somebody else's file, when a polled number is closed and
// reused under it. The duplicate's number is sys's alone. The number
// JavaScript gave is checked against the duplicate before every start and
// every callback (identity.h): once it no longer names the same file (closed
// behind sys's back, reused by another file), the watch ends, the callback
// gets status -EBADF once, and start() throws EBADF. A watcher made with
// `recheck: false` is checked at start() only: its callback is a wake-up
// that never uses the number (an attached loop's), the duplicate keeps
// polling the file it was given whatever happens to the number, and the
// check per callback would be a kcmp(2) per wake-up for nothing.
//
// Lifetime: the handle memory outlives the JS object until libuv's close
// callback, which also closes the duplicate; an active watcher keeps its JS
// object alive (it is Ref()'d), and an environment shutting down closes
// every handle through an async cleanup hook.
#include <uv.h>

#include <unistd.h>

#include <unordered_map>
#include <vector>

#include "common.h"
#include "identity.h"

namespace evring {

namespace {

class FdPoll;

struct PollState {
  uv_poll_t handle;
  int user_fd = -1;  // the number JavaScript gave
  int own_fd = -1;   // the duplicate libuv polls
  FdPoll* owner = nullptr;
  bool closing = false;
  bool recheck = true;  // check the number before each callback, not only at start()
  napi_async_cleanup_hook_handle hook = nullptr;
};

// This thread's open watchers by the number JavaScript gave: close(fd)
// through sys ends them before the file goes.
thread_local std::unordered_map<int, std::vector<PollState*>> t_by_fd;

void Unlist(PollState* s) {
  auto it = t_by_fd.find(s->user_fd);
  if (it == t_by_fd.end()) return;
  auto& list = it->second;
  for (size_t i = 0; i < list.size(); i++) {
    if (list[i] == s) {
      list[i] = list.back();
      list.pop_back();
      break;
    }
  }
  if (list.empty()) t_by_fd.erase(it);
}

void OnClosed(uv_handle_t* h) {
  auto* s = static_cast<PollState*>(h->data);
  if (s->own_fd >= 0) {
    Count(kClose);
    close(s->own_fd);  // libuv is done with the number: it may go now
  }
  if (s->hook != nullptr) napi_remove_async_cleanup_hook(s->hook);
  delete s;
}

void BeginClose(PollState* s) {
  if (s->closing) return;
  s->closing = true;
  Unlist(s);
  uv_poll_stop(&s->handle);
  uv_close(reinterpret_cast<uv_handle_t*>(&s->handle), OnClosed);
}

void OnEnvCleanup(napi_async_cleanup_hook_handle, void* arg) {
  auto* s = static_cast<PollState*>(arg);
  s->owner = nullptr;
  BeginClose(s);  // OnClosed removes the hook, which tells Node we are done
}

// Whether the number JavaScript gave still names the watched file.
bool StillSame(const PollState* s) { return SameFile(s->user_fd, s->own_fd) != Same::kNo; }

class FdPoll : public Napi::ObjectWrap<FdPoll> {
 public:
  static Napi::Function Define(Napi::Env env) {
    return DefineClass(env, "FdPoll",
                       {
                           InstanceMethod<&FdPoll::Start>("start"),
                           InstanceMethod<&FdPoll::Stop>("stop"),
                           InstanceMethod<&FdPoll::RefHandle>("ref"),
                           InstanceMethod<&FdPoll::UnrefHandle>("unref"),
                           InstanceMethod<&FdPoll::Close>("close"),
                           InstanceAccessor<&FdPoll::GetFd>("fd"),
                           InstanceAccessor<&FdPoll::GetActive>("active"),
                           InstanceAccessor<&FdPoll::GetClosed>("closed"),
                           InstanceAccessor<&FdPoll::GetHasRef>("hasRef"),
                       });
  }

  // new FdPoll(fd, callback(status, events), { recheck }?)
  explicit FdPoll(const Napi::CallbackInfo& info) : Napi::ObjectWrap<FdPoll>(info) {
    const char* usage =
        "new FdPoll(fd: number, callback: (status: number, events: number) => void, options?: { recheck?: boolean "
        "})";
    Napi::Env env = info.Env();
    fd_ = ArgFd(info, 0, usage);
    if (info.Length() < 2 || !info[1].IsFunction()) ThrowType(env, usage, "callback must be a function");
    bool recheck = true;
    if (info.Length() >= 3 && !info[2].IsUndefined()) {
      if (!info[2].IsObject()) ThrowType(env, usage, "options must be an object");
      Napi::Value v = info[2].As<Napi::Object>().Get("recheck");
      if (!v.IsUndefined()) {
        if (!v.IsBoolean()) ThrowType(env, usage, "options.recheck must be a boolean");
        recheck = v.As<Napi::Boolean>().Value();
      }
    }
    callback_ = Napi::Persistent(info[1].As<Napi::Function>());
    async_ = std::make_unique<Napi::AsyncContext>(env, "evring:FdPoll");
    uv_loop_t* loop = nullptr;
    if (napi_get_uv_event_loop(env, &loop) != napi_ok || loop == nullptr) {
      ThrowErrno(env, EINVAL, "uv_poll_init", "no libuv loop for this environment");
    }
    int own = PrivateDup(fd_);
    if (own < 0) ThrowErrno(env, -own, "uv_poll_init", "fd " + std::to_string(fd_));
    auto* s = new PollState();
    Count(kOther);
    int r = uv_poll_init(loop, &s->handle, own);
    if (r < 0) {
      delete s;
      close(own);
      ThrowErrno(env, -r, "uv_poll_init");  // uv errors are -errno on Linux
    }
    s->handle.data = s;
    s->user_fd = fd_;
    s->own_fd = own;
    s->owner = this;
    s->recheck = recheck;
    t_by_fd[fd_].push_back(s);
    napi_add_async_cleanup_hook(env, OnEnvCleanup, s, &s->hook);
    state_ = s;
  }

  ~FdPoll() override {
    if (state_ != nullptr) {
      state_->owner = nullptr;
      BeginClose(state_);
      state_ = nullptr;
    }
  }

  // Ends the watch because the fd went away under it: the handle closes, and
  // `start` throws from now on. Called by close(fd) through sys too.
  void Gone() {
    gone_ = true;
    if (state_ != nullptr) {
      state_->owner = nullptr;
      BeginClose(state_);
      state_ = nullptr;
    }
    Deactivate();
  }

 private:
  static void OnPoll(uv_poll_t* h, int status, int events) {
    auto* s = static_cast<PollState*>(h->data);
    if (s->owner == nullptr || s->closing) return;
    FdPoll* self = s->owner;
    if (s->recheck && !StillSame(s)) {
      // Closed (and maybe reused) behind sys's back: say so once, and stop.
      self->Dispatch(-EBADF, 0);
      self->Gone();
      return;
    }
    self->Dispatch(status, events);
  }

  // Raw N-API on purpose: while an env is terminating (process.exit() in a
  // worker) no JS can run and node-addon-api's error wrappers would abort.
  void Dispatch(int status, int events) {
    napi_env env = Env();
    napi_handle_scope scope;
    if (napi_open_handle_scope(env, &scope) != napi_ok) return;
    napi_value argv[2];
    napi_value recv = Value();
    napi_value fn = callback_.Value();
    if (recv != nullptr && fn != nullptr && napi_create_int32(env, status, &argv[0]) == napi_ok &&
        napi_create_int32(env, events, &argv[1]) == napi_ok) {
      napi_value result;
      napi_status st = napi_make_callback(env, static_cast<napi_async_context>(*async_), recv, fn, 2, argv, &result);
      if (st == napi_pending_exception) {
        napi_value err;
        // Like any Node callback: the error goes to 'uncaughtException'.
        if (napi_get_and_clear_last_exception(env, &err) == napi_ok) napi_fatal_exception(env, err);
      }
    }
    napi_close_handle_scope(env, scope);
  }

  void Usable(const char* what) {
    std::string syscall = std::string("FdPoll.") + what;
    if (gone_) ThrowErrno(Env(), EBADF, syscall.c_str(), "fd " + std::to_string(fd_) + " was closed");
    if (state_ == nullptr || state_->closing) ThrowErrno(Env(), EBADF, syscall.c_str(), "the watcher is closed");
  }

  Napi::Value Start(const Napi::CallbackInfo& info) {
    const char* usage = "fdPoll.start(events: number (UV_READABLE 1 | UV_WRITABLE 2 | UV_DISCONNECT 4 | UV_PRIORITIZED 8))";
    Usable("start");
    int events = ArgFlags(info, 0, usage, UV_READABLE | UV_WRITABLE | UV_DISCONNECT | UV_PRIORITIZED);
    if (!StillSame(state_)) {
      Gone();
      ThrowErrno(info.Env(), EBADF, "FdPoll.start",
                 "fd " + std::to_string(fd_) + " was closed behind sys's back (or now names another file)");
    }
    int r = uv_poll_start(&state_->handle, events, OnPoll);
    if (r < 0) ThrowErrno(info.Env(), -r, "uv_poll_start");
    if (!active_) {
      active_ = true;
      Ref();  // an active watcher must not be collected while it can still fire
    }
    return info.Env().Undefined();
  }

  Napi::Value Stop(const Napi::CallbackInfo& info) {
    Usable("stop");
    uv_poll_stop(&state_->handle);
    Deactivate();
    return info.Env().Undefined();
  }

  Napi::Value RefHandle(const Napi::CallbackInfo& info) {
    Usable("ref");
    uv_ref(reinterpret_cast<uv_handle_t*>(&state_->handle));
    return info.Env().Undefined();
  }

  Napi::Value UnrefHandle(const Napi::CallbackInfo& info) {
    Usable("unref");
    uv_unref(reinterpret_cast<uv_handle_t*>(&state_->handle));
    return info.Env().Undefined();
  }

  // Idempotent: closing a closed watcher does nothing.
  Napi::Value Close(const Napi::CallbackInfo& info) {
    if (state_ != nullptr) {
      state_->owner = nullptr;
      BeginClose(state_);
      state_ = nullptr;
    }
    Deactivate();
    return info.Env().Undefined();
  }

  void Deactivate() {
    if (active_) {
      active_ = false;
      Unref();
    }
  }

  Napi::Value GetFd(const Napi::CallbackInfo& info) { return Napi::Number::New(info.Env(), fd_); }
  Napi::Value GetActive(const Napi::CallbackInfo& info) { return Napi::Boolean::New(info.Env(), active_); }
  Napi::Value GetClosed(const Napi::CallbackInfo& info) {
    return Napi::Boolean::New(info.Env(), state_ == nullptr);
  }
  Napi::Value GetHasRef(const Napi::CallbackInfo& info) {
    return Napi::Boolean::New(info.Env(), state_ != nullptr &&
                                              uv_has_ref(reinterpret_cast<uv_handle_t*>(&state_->handle)));
  }

  int fd_ = -1;
  bool active_ = false;
  bool gone_ = false;
  PollState* state_ = nullptr;
  Napi::FunctionReference callback_;
  std::unique_ptr<Napi::AsyncContext> async_;
};

}  // namespace

void EndFdPollsOn(int fd) {
  auto it = t_by_fd.find(fd);
  if (it == t_by_fd.end()) return;
  // Only watchers of the file the number names now: a watcher whose file was
  // already closed behind sys's back watches something else.
  std::vector<PollState*> hit;
  for (PollState* s : it->second) {
    if (SameFile(fd, s->own_fd) != Same::kNo) hit.push_back(s);
  }
  for (PollState* s : hit) {
    if (s->owner != nullptr) s->owner->Gone();
    else BeginClose(s);
  }
}

void InitFdPoll(Napi::Env env, Napi::Object exports) {
  exports.Set("FdPoll", FdPoll::Define(env));
}

}  // namespace evring
