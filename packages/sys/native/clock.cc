// The monotonic clock, read without allocating: a JS number returned from a
// native call is a fresh heap object, and a loop reads the clock two or
// three times per iteration. Writing the reading into a Float64Array the
// caller holds, and returning nothing, leaves it nothing to collect.
#include <time.h>

#include "common.h"

namespace evring {

namespace {

// clockMonotonic(out): out[0] = CLOCK_MONOTONIC in milliseconds (the clock
// performance.now() and libuv read, from another origin).
napi_value ClockMonotonic(napi_env env, napi_callback_info cbinfo) {
  size_t argc = 1;
  napi_value arg;
  if (napi_get_cb_info(env, cbinfo, &argc, &arg, nullptr, nullptr) != napi_ok) return nullptr;
  napi_typedarray_type type;
  size_t length = 0;
  void* data = nullptr;
  if (argc < 1 || napi_get_typedarray_info(env, arg, &type, &length, &data, nullptr, nullptr) != napi_ok ||
      type != napi_float64_array) {
    napi_throw_type_error(env, "ERR_INVALID_ARG_TYPE",
                          "clockMonotonic(out: Float64Array): argument 1 must be a Float64Array");
    return nullptr;
  }
  // A detached or empty array has length 0: nothing is written anywhere.
  if (length < 1 || data == nullptr) {
    napi_throw_range_error(env, "ERR_OUT_OF_RANGE",
                           "clockMonotonic(out: Float64Array): argument 1 must hold at least one element");
    return nullptr;
  }
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  static_cast<double*>(data)[0] = static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
  return nullptr;
}

}  // namespace

void InitClock(Napi::Env env, Napi::Object exports) {
  napi_value fn;
  NAPI_THROW_IF_FAILED_VOID(env, napi_create_function(env, "clockMonotonic", NAPI_AUTO_LENGTH, ClockMonotonic,
                                                      nullptr, &fn));
  exports.Set("clockMonotonic", Napi::Value(env, fn));
}

}  // namespace evring
