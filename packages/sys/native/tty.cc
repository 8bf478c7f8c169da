// termios(3) for serial ports and terminals: raw mode at a given speed, and
// the saved settings put back. A struct termios holds no pointers, so the
// saved bytes JavaScript hands back can only ever be wrong settings, which
// the kernel checks, never a wrong address.
#include <termios.h>

#include <cstring>

#include "common.h"

namespace evring {

namespace {

// The baud rates Linux names, with their termios Bnnn constants: one table
// for both directions.
struct Rate {
  uint32_t baud;
  speed_t constant;
};
constexpr Rate kRates[] = {
    {50, B50},           {75, B75},           {110, B110},         {134, B134},
    {150, B150},         {200, B200},         {300, B300},         {600, B600},
    {1200, B1200},       {1800, B1800},       {2400, B2400},       {4800, B4800},
    {9600, B9600},       {19200, B19200},     {38400, B38400},     {57600, B57600},
    {115200, B115200},   {230400, B230400},   {460800, B460800},   {500000, B500000},
    {576000, B576000},   {921600, B921600},   {1000000, B1000000}, {1152000, B1152000},
    {1500000, B1500000}, {2000000, B2000000}, {2500000, B2500000}, {3000000, B3000000},
    {3500000, B3500000}, {4000000, B4000000},
};

// The Bnnn constant of `baud`, or 0 when Linux names no such rate.
speed_t SpeedConstant(uint32_t baud) {
  for (const Rate& r : kRates) {
    if (r.baud == baud) return r.constant;
  }
  return 0;
}

Napi::Value Saved(Napi::Env env, const struct termios& t) {
  Napi::Uint8Array out = Napi::Uint8Array::New(env, sizeof t);
  memcpy(out.Data(), &t, sizeof t);
  return out;
}

// ttySetRaw(fd, baud?): raw mode (cfmakeraw: no echo, no line editing, no
// signals from keys, 8 bits), at `baud` when given; returns the settings
// it replaced, for ttyRestore.
Napi::Value TtySetRaw(const Napi::CallbackInfo& info) {
  const char* usage = "ttySetRaw(fd: number, baud?: number)";
  Napi::Env env = info.Env();
  int fd = ArgFd(info, 0, usage);
  speed_t speed = 0;
  if (info.Length() > 1 && !info[1].IsUndefined()) {
    uint32_t baud = ArgU32(info, 1, usage);
    speed = SpeedConstant(baud);
    if (speed == 0) ThrowRange(env, usage, "baud is not a rate Linux names (9600, 115200, ...)");
  }
  struct termios before;
  Count(kOther);
  if (tcgetattr(fd, &before) < 0) ThrowErrno(env, errno, "tcgetattr");
  struct termios raw = before;
  cfmakeraw(&raw);
  raw.c_cflag |= CLOCAL | CREAD;
  if (speed != 0 && (cfsetispeed(&raw, speed) < 0 || cfsetospeed(&raw, speed) < 0)) {
    ThrowErrno(env, errno, "cfsetspeed");
  }
  Count(kOther);
  if (tcsetattr(fd, TCSANOW, &raw) < 0) ThrowErrno(env, errno, "tcsetattr");
  return Saved(env, before);
}

// ttyRestore(fd, saved): puts back what ttySetRaw returned.
Napi::Value TtyRestore(const Napi::CallbackInfo& info) {
  const char* usage = "ttyRestore(fd: number, saved: Uint8Array from ttySetRaw)";
  Napi::Env env = info.Env();
  int fd = ArgFd(info, 0, usage);
  Bytes saved = ArgBytes(info, 1, usage);
  struct termios t;
  if (saved.length != sizeof t) ThrowRange(env, usage, "saved is not the settings ttySetRaw returned");
  memcpy(&t, saved.data, sizeof t);
  Count(kOther);
  if (tcsetattr(fd, TCSANOW, &t) < 0) ThrowErrno(env, errno, "tcsetattr");
  return env.Undefined();
}

// ttySpeed(fd): the output baud rate, as a number.
Napi::Value TtySpeed(const Napi::CallbackInfo& info) {
  const char* usage = "ttySpeed(fd: number)";
  Napi::Env env = info.Env();
  int fd = ArgFd(info, 0, usage);
  struct termios t;
  Count(kOther);
  if (tcgetattr(fd, &t) < 0) ThrowErrno(env, errno, "tcgetattr");
  speed_t s = cfgetospeed(&t);
  for (const Rate& r : kRates) {
    if (r.constant == s) return Napi::Number::New(env, r.baud);
  }
  return Napi::Number::New(env, 0);
}

}  // namespace

void InitTty(Napi::Env env, Napi::Object exports) {
  exports.Set("ttySetRaw", Napi::Function::New(env, TtySetRaw));
  exports.Set("ttyRestore", Napi::Function::New(env, TtyRestore));
  exports.Set("ttySpeed", Napi::Function::New(env, TtySpeed));
}

}  // namespace evring
