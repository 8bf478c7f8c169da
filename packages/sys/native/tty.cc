// termios(3) for serial ports and terminals: raw mode at a given speed, and
// the saved settings put back. A struct termios holds no pointers, so the
// saved bytes JavaScript hands back can only ever be wrong settings, which
// the kernel checks, never a wrong address.
#include <termios.h>

#include <cstring>

#include "common.h"

namespace evring {

namespace {

// The baud rates Linux names (termios Bnnn constants).
speed_t SpeedConstant(uint32_t baud) {
  switch (baud) {
    case 50: return B50;
    case 75: return B75;
    case 110: return B110;
    case 134: return B134;
    case 150: return B150;
    case 200: return B200;
    case 300: return B300;
    case 600: return B600;
    case 1200: return B1200;
    case 1800: return B1800;
    case 2400: return B2400;
    case 4800: return B4800;
    case 9600: return B9600;
    case 19200: return B19200;
    case 38400: return B38400;
    case 57600: return B57600;
    case 115200: return B115200;
    case 230400: return B230400;
    case 460800: return B460800;
    case 500000: return B500000;
    case 576000: return B576000;
    case 921600: return B921600;
    case 1000000: return B1000000;
    case 1152000: return B1152000;
    case 1500000: return B1500000;
    case 2000000: return B2000000;
    case 2500000: return B2500000;
    case 3000000: return B3000000;
    case 3500000: return B3500000;
    case 4000000: return B4000000;
    default: return 0;
  }
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
  static const uint32_t kRates[] = {50, 75, 110, 134, 150, 200, 300, 600, 1200, 1800, 2400, 4800, 9600,
                                    19200, 38400, 57600, 115200, 230400, 460800, 500000, 576000, 921600,
                                    1000000, 1152000, 1500000, 2000000, 2500000, 3000000, 3500000, 4000000};
  for (uint32_t rate : kRates) {
    if (SpeedConstant(rate) == s) return Napi::Number::New(env, rate);
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
