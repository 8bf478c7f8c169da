/**
 * The event model every backend speaks, with libev's values where libev has
 * the same event: READ = EV_READ, WRITE = EV_WRITE, ERROR = EV_ERROR.
 * PRI (urgent data, POLLPRI/EPOLLPRI: sysfs GPIO interrupts, TCP out-of-band
 * data) and EDGE (opt-in edge triggering) are evring's additions.
 *
 * @module
 */

/** The fd is readable (or hung up / in error). libev's EV_READ. */
export const READ = 0x01;
/** The fd is writable (or hung up / in error). libev's EV_WRITE. */
export const WRITE = 0x02;
/** Urgent data is pending (POLLPRI). Not in libev. */
export const PRI = 0x04;
/**
 * Opt-in edge triggering (like EPOLLET): the owner promises to read or write
 * until EAGAIN; each new arrival is then reported at least once. A backend
 * without an edge mechanism serves EDGE as level.
 */
export const EDGE = 0x08;
/**
 * The kernel rejected the fd (closed, not pollable...): its watchers get
 * ERROR | READ | WRITE and are stopped. libev's EV_ERROR (bit 31, unsigned).
 */
export const ERROR = 0x80000000;

/** The readiness bits a backend can report. */
export const IO_EVENTS = READ | WRITE | PRI;
/** Everything an owner may ask a backend for. */
export const INTEREST_MASK = READ | WRITE | PRI | EDGE;

/** Names the bits of an event mask: `describeEvents(READ | PRI) === 'READ|PRI'`. */
export function describeEvents(mask: number): string {
  const names: string[] = [];
  if (mask & READ) names.push('READ');
  if (mask & WRITE) names.push('WRITE');
  if (mask & PRI) names.push('PRI');
  if (mask & EDGE) names.push('EDGE');
  if ((mask & ERROR) !== 0) names.push('ERROR');
  return names.length ? names.join('|') : '0';
}
