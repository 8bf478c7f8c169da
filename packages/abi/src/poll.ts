/**
 * poll(2) event bits (`asm-generic/poll.h`, identical on x86_64 and aarch64).
 * io_uring POLL_ADD and aio IOCB_CMD_POLL take these masks.
 *
 * @module
 */
export const POLLIN = 0x0001;
export const POLLPRI = 0x0002;
export const POLLOUT = 0x0004;
export const POLLERR = 0x0008;
export const POLLHUP = 0x0010;
export const POLLNVAL = 0x0020;
export const POLLRDNORM = 0x0040;
export const POLLRDBAND = 0x0080;
export const POLLWRNORM = 0x0100;
export const POLLWRBAND = 0x0200;
export const POLLMSG = 0x0400;
export const POLLREMOVE = 0x1000;
export const POLLRDHUP = 0x2000;
