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

// clockCell(): a Float64Array of one element over this env's clock cell,
// its buffer the same on every call (one ArrayBuffer per block of memory:
// V8 refuses two over the same bytes). Marked untransferable; were it
// detached anyway, clockTick would still write only into the cell, which
// sys owns until the env ends.
napi_value ClockCell(napi_env env, napi_callback_info) {
  Napi::Env e(env);
  try {
    EnvData* data = GetEnvData(e);
    if (data->clock_buffer.IsEmpty()) {
      // The cell is EnvData's: the buffer's finalizer has nothing to free.
      Napi::ArrayBuffer ab = Napi::ArrayBuffer::New(e, &data->clock_cell, sizeof(double), [](Napi::Env, void*) {});
      MarkUntransferable(e, ab);
      data->clock_buffer = Napi::Persistent(ab);
    }
    napi_value array;
    if (napi_create_typedarray(env, napi_float64_array, 1, data->clock_buffer.Value(), 0, &array) != napi_ok) {
      return nullptr;
    }
    return array;
  } catch (const Napi::Error& err) {
    err.ThrowAsJavaScriptException();
    return nullptr;
  }
}

// clockTick(): CLOCK_MONOTONIC in milliseconds into the clock cell. No
// arguments to decode and no value made: the cheapest crossing there is,
// for a loop that reads the clock every iteration.
napi_value ClockTick(napi_env env, napi_callback_info) {
  void* p = nullptr;
  EnvData* data = napi_get_instance_data(env, &p) == napi_ok ? static_cast<EnvData*>(p) : nullptr;
  if (data == nullptr || data->clock_buffer.IsEmpty()) {
    napi_throw_error(env, "ERR_EVRING_NO_CLOCK_CELL", "clockTick(): call clockCell() first");
    return nullptr;
  }
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  data->clock_cell = static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
  return nullptr;
}

}  // namespace

void InitClock(Napi::Env env, Napi::Object exports) {
  napi_value fn;
  NAPI_THROW_IF_FAILED_VOID(env, napi_create_function(env, "clockMonotonic", NAPI_AUTO_LENGTH, ClockMonotonic,
                                                      nullptr, &fn));
  exports.Set("clockMonotonic", Napi::Value(env, fn));
  NAPI_THROW_IF_FAILED_VOID(env, napi_create_function(env, "clockCell", NAPI_AUTO_LENGTH, ClockCell, nullptr, &fn));
  exports.Set("clockCell", Napi::Value(env, fn));
  NAPI_THROW_IF_FAILED_VOID(env, napi_create_function(env, "clockTick", NAPI_AUTO_LENGTH, ClockTick, nullptr, &fn));
  exports.Set("clockTick", Napi::Value(env, fn));
}

}  // namespace evring
