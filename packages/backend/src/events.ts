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
 * import { Loop, READ } from '@evring/loop';
 * const loop = new Loop();
 * loop.io(0, READ, (w, revents) => { if (revents & READ) console.log('stdin is readable'); }).start();
 * ```
 */
export const READ = 0x01;
/**
 * The fd is writable (or hung up / in error). libev's EV_WRITE.
 *
 * @example
 * ```ts
 * import { Loop, WRITE } from '@evring/loop';
 * const loop = new Loop();
 * loop.io(1, WRITE, (w) => { w.stop(); console.log('stdout can take more'); }).start();
 * ```
 */
export const WRITE = 0x02;
/**
 * Urgent data is pending (POLLPRI). Not in libev.
 *
 * @example
 * ```ts
 * import { Loop, PRI, READ } from '@evring/loop';
 * declare const tcpFd: number;
 * const loop = new Loop();
 * loop.io(tcpFd, READ | PRI, (w, revents) => { if (revents & PRI) console.log('urgent data'); }).start();
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
 * import { EDGE, Loop, READ } from '@evring/loop';
 * import { read } from '@evring/sys';
 * declare const fd: number; // non-blocking
 * const buf = Buffer.alloc(65536);
 * const loop = new Loop();
 * // Edge-triggered: read until the fd is empty, or no new event comes.
 * loop.io(fd, READ | EDGE, () => { while (read(fd, buf) === buf.length); }).start();
 * ```
 */
export const EDGE = 0x08;
/**
 * The kernel rejected the fd (closed, not pollable...): its watchers get
 * ERROR | READ | WRITE and are stopped. libev's EV_ERROR (bit 31, unsigned).
 *
 * @example
 * ```ts
 * import { ERROR, Loop, READ } from '@evring/loop';
 * declare const fd: number;
 * const loop = new Loop();
 * loop.io(fd, READ, (w, revents) => {
 *   if (revents & ERROR) console.error(`fd ${w.fd} is bad; the watcher was stopped`);
 * }).start();
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
