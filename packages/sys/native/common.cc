// Argument validation and error construction shared by every export.
#include "common.h"

#include <cmath>
#include <cstdio>
#include <cstring>
#include <limits>

namespace evring {

thread_local double g_counters[kCounterCount] = {};

EnvData* GetEnvData(Napi::Env env) {
  EnvData* data = env.GetInstanceData<EnvData>();
  if (data == nullptr) {
    data = new EnvData();
    env.SetInstanceData(data);
  }
  return data;
}

void ThrowErrno(Napi::Env env, int err, const char* syscall, const std::string& detail) {
  EnvData* data = GetEnvData(env);
  if (!data->make_error.IsEmpty()) {
    Napi::Value e = data->make_error.Call(
        {Napi::Number::New(env, err), Napi::String::New(env, syscall),
         detail.empty() ? env.Undefined() : Napi::String::New(env, detail)});
    throw Napi::Error(env, e);
  }
  // Before init() (only the raw binding, used directly): the same fields,
  // named by the C library.
#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 32))
  const char* name = strerrorname_np(err);
#else
  const char* name = nullptr;
#endif
  std::string code = name != nullptr ? name : "E" + std::to_string(err);
  Napi::Error e = Napi::Error::New(env, std::string(syscall) + ": " + code);
  e.Set("code", Napi::String::New(env, code));
  e.Set("errno", Napi::Number::New(env, -err));
  e.Set("syscall", Napi::String::New(env, syscall));
  throw e;
}

void MarkUntransferable(Napi::Env env, Napi::ArrayBuffer ab) {
  EnvData* data = GetEnvData(env);
  if (!data->mark_untransferable.IsEmpty()) data->mark_untransferable.Call({ab});
}

static Napi::Error WithCode(Napi::Error e, const char* code) {
  e.Set("code", Napi::String::New(e.Env(), code));
  return e;
}

void ThrowType(Napi::Env env, const std::string& usage, const std::string& what) {
  throw WithCode(Napi::TypeError::New(env, what + ". Usage: " + usage), "ERR_INVALID_ARG_TYPE");
}

void ThrowRange(Napi::Env env, const std::string& usage, const std::string& what) {
  throw WithCode(Napi::RangeError::New(env, what + ". Usage: " + usage), "ERR_OUT_OF_RANGE");
}

static double ArgNumber(const Napi::CallbackInfo& info, size_t i, const char* usage) {
  if (i >= info.Length() || !info[i].IsNumber()) {
    ThrowType(info.Env(), usage, "argument " + std::to_string(i + 1) + " must be a number");
  }
  return info[i].As<Napi::Number>().DoubleValue();
}

int64_t ArgInt(const Napi::CallbackInfo& info, size_t i, const char* usage, int64_t min,
               int64_t max) {
  double v = ArgNumber(info, i, usage);
  if (!std::isfinite(v) || std::trunc(v) != v) {
    ThrowType(info.Env(), usage, "argument " + std::to_string(i + 1) + " must be an integer");
  }
  if (v < static_cast<double>(min) || v > static_cast<double>(max)) {
    ThrowRange(info.Env(), usage,
               "argument " + std::to_string(i + 1) + " must be between " + std::to_string(min) +
                   " and " + std::to_string(max));
  }
  return static_cast<int64_t>(v);
}

int ArgFd(const Napi::CallbackInfo& info, size_t i, const char* usage) {
  return static_cast<int>(ArgInt(info, i, usage, 0, std::numeric_limits<int32_t>::max()));
}

uint32_t ArgU32(const Napi::CallbackInfo& info, size_t i, const char* usage) {
  return static_cast<uint32_t>(ArgInt(info, i, usage, 0, std::numeric_limits<uint32_t>::max()));
}

int ArgFlags(const Napi::CallbackInfo& info, size_t i, const char* usage, uint32_t allowed) {
  uint32_t v = ArgU32(info, i, usage);
  if (v & ~allowed) {
    char buf[64];
    snprintf(buf, sizeof buf, "unknown flag bits 0x%x", v & ~allowed);
    ThrowRange(info.Env(), usage, std::string("argument ") + std::to_string(i + 1) + " has " + buf);
  }
  return static_cast<int>(v);
}

uint32_t ArgMask32(const Napi::CallbackInfo& info, size_t i, const char* usage) {
  int64_t v = ArgInt(info, i, usage, std::numeric_limits<int32_t>::min(), std::numeric_limits<uint32_t>::max());
  return static_cast<uint32_t>(v);
}

double ArgTimeoutMs(const Napi::CallbackInfo& info, size_t i, const char* usage) {
  if (i >= info.Length() || info[i].IsUndefined() || info[i].IsNull()) return -1;
  double v = ArgNumber(info, i, usage);
  if (std::isnan(v)) ThrowType(info.Env(), usage, "timeout must not be NaN");
  return v < 0 ? -1 : v;
}

bool ArgBool(const Napi::CallbackInfo& info, size_t i, const char* usage) {
  if (i >= info.Length() || !info[i].IsBoolean()) {
    ThrowType(info.Env(), usage, "argument " + std::to_string(i + 1) + " must be a boolean");
  }
  return info[i].As<Napi::Boolean>().Value();
}

bool ArgOptionalBool(const Napi::CallbackInfo& info, size_t i, const char* usage, bool absent) {
  if (i >= info.Length() || info[i].IsUndefined()) return absent;
  return ArgBool(info, i, usage);
}

static size_t ElementSize(napi_typedarray_type type) {
  switch (type) {
    case napi_int8_array:
    case napi_uint8_array:
    case napi_uint8_clamped_array:
      return 1;
    case napi_int16_array:
    case napi_uint16_array:
      return 2;
    case napi_int32_array:
    case napi_uint32_array:
    case napi_float32_array:
      return 4;
    default:
      return 8;  // float64, bigint64, biguint64
  }
}

bool IsBytes(const Napi::Value& v) {
  return v.IsTypedArray() || v.IsDataView() || v.IsArrayBuffer();
}

Bytes ArgBytes(const Napi::CallbackInfo& info, size_t i, const char* usage) {
  if (i >= info.Length() || !IsBytes(info[i])) {
    ThrowType(info.Env(), usage,
              "argument " + std::to_string(i + 1) + " must be a TypedArray, DataView or ArrayBuffer");
  }
  // The raw API on purpose: it answers for views over a SharedArrayBuffer
  // too, where asking the view for its ArrayBuffer fails. Pointers come back
  // already moved by the view's byte offset; a detached view has length 0.
  napi_env env = info.Env();
  napi_value v = info[i];
  void* data = nullptr;
  size_t length = 0;
  napi_status st;
  if (info[i].IsArrayBuffer()) {
    st = napi_get_arraybuffer_info(env, v, &data, &length);
  } else if (info[i].IsDataView()) {
    st = napi_get_dataview_info(env, v, &length, &data, nullptr, nullptr);
  } else {
    napi_typedarray_type type;
    size_t count = 0;
    st = napi_get_typedarray_info(env, v, &type, &count, &data, nullptr, nullptr);
    length = count * ElementSize(type);
  }
  if (st != napi_ok) ThrowType(env, usage, "argument " + std::to_string(i + 1) + " could not be read as bytes");
  if (data == nullptr) length = 0;
  return {static_cast<uint8_t*>(data), length};
}

// Validates (buffer, offset?, length?) and returns the byte range.
Bytes ArgRange(const Napi::CallbackInfo& info, size_t i, const char* usage) {
  Bytes b = ArgBytes(info, i, usage);
  size_t offset = 0;
  size_t length = b.length;
  if (info.Length() > i + 1 && !info[i + 1].IsUndefined()) {
    offset = static_cast<size_t>(ArgInt(info, i + 1, usage, 0, static_cast<int64_t>(b.length)));
    length = b.length - offset;
  }
  if (info.Length() > i + 2 && !info[i + 2].IsUndefined()) {
    length = static_cast<size_t>(ArgInt(info, i + 2, usage, 0, static_cast<int64_t>(b.length - offset)));
  }
  return {b.data == nullptr ? nullptr : b.data + offset, length};
}

// The path as the kernel will read it: a JS string (UTF-8) or bytes, without
// NUL. An empty one is the kernel's to answer (ENOENT).
std::string ArgPathCopy(const Napi::CallbackInfo& info, size_t i, const char* usage) {
  std::string path;
  if (info.Length() > i && info[i].IsString()) {
    path = info[i].As<Napi::String>().Utf8Value();
  } else if (info.Length() > i && IsBytes(info[i])) {
    Bytes b = ArgBytes(info, i, usage);
    if (b.length > 0) path.assign(reinterpret_cast<const char*>(b.data), b.length);  // a detached one: empty
  } else {
    ThrowType(info.Env(), usage, "the path must be a string or a Uint8Array");
  }
  if (path.find('\0') != std::string::npos) ThrowRange(info.Env(), usage, "the path contains a NUL byte");
  return path;
}

}  // namespace evring
