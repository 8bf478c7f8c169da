// Module entry: registers every export and init(), which hands the native
// side the JS error constructor (one place builds errors) and Node's
// markAsUntransferable.
#include "common.h"
#include "direct_call.h"

namespace evring {

static Napi::Value Init(const Napi::CallbackInfo& info) {
  const char* usage = "init({ makeError: Function, markAsUntransferable: Function })";
  if (info.Length() < 1 || !info[0].IsObject()) ThrowType(info.Env(), usage, "argument 1 must be an object");
  Napi::Object o = info[0].As<Napi::Object>();
  Napi::Value make = o.Get("makeError");
  Napi::Value mark = o.Get("markAsUntransferable");
  if (!make.IsFunction() || !mark.IsFunction()) ThrowType(info.Env(), usage, "both members must be functions");
  EnvData* data = GetEnvData(info.Env());
  data->make_error = Napi::Persistent(make.As<Napi::Function>());
  data->mark_untransferable = Napi::Persistent(mark.As<Napi::Function>());
  return info.Env().Undefined();
}

// The environment is going away (a worker ending, the process exiting):
// rings, AIO contexts, signal relays and owned fds it left open are
// released. FdPoll handles close through their own async hooks; buffers
// through their finalizers, which Node runs at shutdown.
static void ReleaseEnvResources(void* arg) {
  auto env = static_cast<napi_env>(arg);
  CloseRingsOf(env);
  DestroyAioOf(env);
  ForgetSignalRelaysOf(env);
  CloseOwnedFdsOf(env);
}

static Napi::Object Register(Napi::Env env, Napi::Object exports) {
  GetEnvData(env);
  napi_add_env_cleanup_hook(env, ReleaseEnvResources, static_cast<napi_env>(env));
  exports.Set("init", Napi::Function::New(env, Init));
  exports.Set("hotCallEntry", Napi::String::New(env, DirectCallsOn(env) ? "v8" : "node-api"));
  InitCounters(env, exports);
  InitFds(env, exports);
  InitEpoll(env, exports);
  InitIoUring(env, exports);
  InitMemory(env, exports);
  InitAio(env, exports);
  InitFdPoll(env, exports);
  InitSignalRelay(env, exports);
  InitInotify(env, exports);
  InitFileAttrs(env, exports);
  InitStatxInline(env, exports);
  InitTty(env, exports);
  InitClock(env, exports);
  InitOwnedFds(env, exports);
  return exports;
}

}  // namespace evring

static Napi::Object RegisterModule(Napi::Env env, Napi::Object exports) {
  return evring::Register(env, exports);
}

NODE_API_MODULE(evring_sys, RegisterModule)
