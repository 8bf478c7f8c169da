/**
 * The event model every backend speaks, with libev's values where libev has
 * the same event: READ = EV_READ, WRITE = EV_WRITE, ERROR = EV_ERROR.
 * PRI (urgent data, POLLPRI/EPOLLPRI: sysfs GPIO interrupts, TCP out-of-band
 * data) and EDGE (opt-in edge triggering) are evring's additions.
 *
 * @module
 */

/**
 * The fd is readable (or hung up / in error). libev's EV_READ.
 *
 * @example
 * ```ts
 * import { type FdEventHandler, READ } from '@evring/backend';
 * const onEvent: FdEventHandler = (fd, revents) => {
 *   if (revents & READ) console.log(fd, 'is readable'); // read until EAGAIN, or once: level-triggered
 * };
 * ```
 */
export const READ = 0x01;
/**
 * The fd is writable (or hung up / in error). libev's EV_WRITE.
 *
 * @example
 * ```ts
 * import { type Poller, WRITE } from '@evring/backend';
 * declare const poller: Poller;
 * poller.set(1, WRITE); // report stdout when it can take more
 * ```
 */
export const WRITE = 0x02;
/**
 * Urgent data is pending (POLLPRI). Not in libev.
 *
 * @example
 * ```ts
 * import { PRI, type Poller, READ } from '@evring/backend';
 * declare const poller: Poller;
 * declare const tcpFd: number;
 * poller.set(tcpFd, READ | PRI); // revents & PRI: out-of-band data (MSG_OOB) is waiting
 * ```
 */
export const PRI = 0x04;
/**
 * Opt-in edge triggering (like EPOLLET): the owner promises to read or write
 * until EAGAIN; each new arrival is then reported at least once. A backend
 * without an edge mechanism serves EDGE as level.
 *
 * @example
 * ```ts
 * import { EDGE, type Poller, READ } from '@evring/backend';
 * import { read } from '@evring/sys';
 * declare const poller: Poller;
 * declare const fd: number; // non-blocking
 * const buf = Buffer.alloc(65536);
 * poller.set(fd, READ | EDGE);
 * // When fd is reported: read until it is empty, or no new report comes.
 * while (read(fd, buf) === buf.length);
 * ```
 */
export const EDGE = 0x08;
/**
 * The kernel rejected the fd (closed, not pollable...): its watchers get
 * ERROR | READ | WRITE and are stopped. libev's EV_ERROR (bit 31, unsigned).
 *
 * @example
 * ```ts
 * import { ERROR, type FdEventHandler } from '@evring/backend';
 * const onEvent: FdEventHandler = (fd, revents) => {
 *   if (revents & ERROR) console.error(`fd ${fd} is bad; its interest was dropped`);
 * };
 * ```
 */
export const ERROR = 0x80000000;

/**
 * The readiness bits a backend can report.
 *
 * @example
 * ```ts
 * import { IO_EVENTS, EDGE, READ } from '@evring/backend';
 * ((READ | EDGE) & IO_EVENTS) === READ; // true: EDGE is a mode, not an event
 * ```
 */
export const IO_EVENTS = READ | WRITE | PRI;
/**
 * Everything an owner may ask a backend for.
 *
 * @example
 * ```ts
 * import { INTEREST_MASK } from '@evring/backend';
 * const valid = (events: number) => (events & ~INTEREST_MASK) === 0;
 * ```
 */
export const INTEREST_MASK = READ | WRITE | PRI | EDGE;

/**
 * Names the bits of an event mask: `describeEvents(READ | PRI) === 'READ|PRI'`.
 *
 * @example
 * ```ts
 * import { describeEvents, EDGE, READ, WRITE } from '@evring/backend';
 * describeEvents(READ | WRITE | EDGE); // 'READ|WRITE|EDGE'
 * ```
 */
export function describeEvents(mask: number): string {
  const names: string[] = [];
  if (mask & READ) names.push('READ');
  if (mask & WRITE) names.push('WRITE');
  if (mask & PRI) names.push('PRI');
  if (mask & EDGE) names.push('EDGE');
  if ((mask & ERROR) !== 0) names.push('ERROR');
  return names.length ? names.join('|') : '0';
}
