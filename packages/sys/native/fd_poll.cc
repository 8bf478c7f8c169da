// FdPoll: watches an fd from Node's own event loop (a libuv poll handle on
// the calling environment's loop, so worker_threads work) and calls back into
// JS through a callback scope, so promises and nextTicks run after it.
//
// Lifetime: the handle memory outlives the JS object until libuv's close
// callback; an active watcher keeps its JS object alive (it is Ref()'d), and
// an env shutting down closes every handle through an async cleanup hook.
#include <uv.h>

#include <unordered_map>

#include "common.h"

namespace evring {

namespace {

class FdPoll;

struct PollState {
  uv_poll_t handle;
  int fd = -1;
  FdPoll* owner = nullptr;
  napi_env env = nullptr;
  bool closing = false;
  napi_async_cleanup_hook_handle hook = nullptr;
};

// This thread's open watchers by fd: close(fd) stops them first, because
// libuv aborts the process when a polled fd disappears under it.
thread_local std::unordered_map<int, PollState*> t_by_fd;

void OnClosed(uv_handle_t* h) {
  auto* s = static_cast<PollState*>(h->data);
  if (s->hook != nullptr) napi_remove_async_cleanup_hook(s->hook);
  delete s;
}

void BeginClose(PollState* s) {
  if (s->closing) return;
  s->closing = true;
  auto it = t_by_fd.find(s->fd);
  if (it != t_by_fd.end() && it->second == s) t_by_fd.erase(it);
  uv_poll_stop(&s->handle);
  uv_close(reinterpret_cast<uv_handle_t*>(&s->handle), OnClosed);
}

void OnEnvCleanup(napi_async_cleanup_hook_handle, void* arg) {
  auto* s = static_cast<PollState*>(arg);
  s->owner = nullptr;
  BeginClose(s);  // OnClosed removes the hook, which tells Node we are done
}

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

  // new FdPoll(fd, callback(status, events))
  explicit FdPoll(const Napi::CallbackInfo& info) : Napi::ObjectWrap<FdPoll>(info) {
    const char* usage = "new FdPoll(fd: number, callback: (status: number, events: number) => void)";
    Napi::Env env = info.Env();
    fd_ = ArgFd(info, 0, usage);
    if (info.Length() < 2 || !info[1].IsFunction()) ThrowType(env, usage, "callback must be a function");
    callback_ = Napi::Persistent(info[1].As<Napi::Function>());
    async_ = std::make_unique<Napi::AsyncContext>(env, "evring:FdPoll");
    uv_loop_t* loop = nullptr;
    if (napi_get_uv_event_loop(env, &loop) != napi_ok || loop == nullptr) {
      throw Napi::Error::New(env, "FdPoll: no libuv loop for this environment");
    }
    auto* s = new PollState();
    s->env = env;
    Count(kOther);
    int r = uv_poll_init(loop, &s->handle, fd_);
    if (r < 0) {
      delete s;
      // uv errors are -errno on Linux. EEXIST: this loop already watches the fd.
      ThrowErrno(env, -r, "uv_poll_init",
                 r == UV_EEXIST ? "Node's loop already watches this fd" : std::string());
    }
    s->handle.data = s;
    s->fd = fd_;
    s->owner = this;
    t_by_fd[fd_] = s;
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

 private:
  static void OnPoll(uv_poll_t* h, int status, int events) {
    auto* s = static_cast<PollState*>(h->data);
    if (s->owner == nullptr || s->closing) return;
    s->owner->Dispatch(status, events);
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

  friend void ::evring::StopFdPollsOn(int fd);

  bool Usable(const char* what) {
    if (state_ == nullptr || state_->closing) {
      throw Napi::Error::New(Env(), std::string("FdPoll.") + what + ": the watcher is closed");
    }
    return true;
  }

  Napi::Value Start(const Napi::CallbackInfo& info) {
    const char* usage = "fdPoll.start(events: number (UV_READABLE 1 | UV_WRITABLE 2 | UV_DISCONNECT 4 | UV_PRIORITIZED 8))";
    Usable("start");
    int events = ArgFlags(info, 0, usage, UV_READABLE | UV_WRITABLE | UV_DISCONNECT | UV_PRIORITIZED);
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
      Deactivate();
    }
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
  PollState* state_ = nullptr;
  Napi::FunctionReference callback_;
  std::unique_ptr<Napi::AsyncContext> async_;
};

}  // namespace

void StopFdPollsOn(int fd) {
  auto it = t_by_fd.find(fd);
  if (it == t_by_fd.end()) return;
  PollState* s = it->second;
  // Stop the handle now; the JS object sees `active` false from here on.
  uv_poll_stop(&s->handle);
  if (s->owner != nullptr) s->owner->Deactivate();
}

void InitFdPoll(Napi::Env env, Napi::Object exports) {
  exports.Set("FdPoll", FdPoll::Define(env));
}

}  // namespace evring
