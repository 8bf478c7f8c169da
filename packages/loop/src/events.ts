/**
 * The event bits a callback receives, with libev's values wherever libev has
 * the same event (EV_READ, EV_TIMER, ...). PRI and EDGE are evring's: urgent
 * data (POLLPRI) and opt-in edge triggering.
 *
 * @module
 */

export { EDGE, ERROR, PRI, READ, WRITE } from '@evring/backend';

/**
 * A timer expired. libev's EV_TIMER.
 *
 * @example
 * ```ts
 * import { Loop, TIMER } from '@evring/loop';
 * const loop = new Loop();
 * loop.once(-1, 0, 0.5, (revents) => console.log(revents === TIMER)); // true after 0.5 s
 * ```
 */
export const TIMER = 0x100;
/**
 * A periodic reached its time. libev's EV_PERIODIC.
 *
 * @example
 * ```ts
 * import { Loop, PERIODIC } from '@evring/loop';
 * const loop = new Loop();
 * loop.periodic(0, 60, (w, revents) => console.log(revents === PERIODIC, new Date())).start();
 * ```
 */
export const PERIODIC = 0x200;
/**
 * A signal arrived. libev's EV_SIGNAL.
 *
 * @example
 * ```ts
 * import { Loop, SIGNAL } from '@evring/loop';
 * const loop = new Loop();
 * loop.signal('SIGUSR2', (w, revents) => console.log(revents === SIGNAL, w.signame)).start();
 * ```
 */
export const SIGNAL = 0x400;
/**
 * Nothing else was pending. libev's EV_IDLE.
 *
 * @example
 * ```ts
 * import { IDLE, Loop } from '@evring/loop';
 * const loop = new Loop();
 * loop.idle((w, revents) => { console.log(revents === IDLE); w.stop(); }).start();
 * ```
 */
export const IDLE = 0x2000;
/**
 * The loop is about to poll. libev's EV_PREPARE.
 *
 * @example
 * ```ts
 * import { Loop, PREPARE } from '@evring/loop';
 * const loop = new Loop({ attach: false });
 * loop.prepare((w, revents) => console.log(revents === PREPARE, 'about to poll')).start();
 * ```
 */
export const PREPARE = 0x4000;
/**
 * The loop has just polled. libev's EV_CHECK.
 *
 * @example
 * ```ts
 * import { CHECK, Loop } from '@evring/loop';
 * const loop = new Loop({ attach: false });
 * loop.check((w, revents) => console.log(revents === CHECK, 'just polled')).start();
 * ```
 */
export const CHECK = 0x8000;
/**
 * An async watcher was sent. libev's EV_ASYNC.
 *
 * @example
 * ```ts
 * import { ASYNC, Loop } from '@evring/loop';
 * const loop = new Loop();
 * const w = loop.async((_, revents) => console.log(revents === ASYNC)).start();
 * w.send();
 * ```
 */
export const ASYNC = 0x80000;
/**
 * Free for the user's own events (feedEvent). libev's EV_CUSTOM.
 *
 * @example
 * ```ts
 * import { CUSTOM, Loop } from '@evring/loop';
 * const loop = new Loop();
 * const w = loop.idle((_, revents) => { if (revents & CUSTOM) console.log('fed by hand'); });
 * loop.feedEvent(w, CUSTOM);
 * ```
 */
export const CUSTOM = 0x01000000;

/**
 * The lowest priority. libev's EV_MINPRI.
 *
 * @example
 * ```ts
 * import { Loop, MINPRI } from '@evring/loop';
 * const loop = new Loop();
 * loop.idle(() => {}, { priority: MINPRI }).start(); // runs after everything else
 * ```
 */
export const MINPRI = -2;
/**
 * The highest priority. libev's EV_MAXPRI.
 *
 * @example
 * ```ts
 * import { Loop, MAXPRI, READ } from '@evring/loop';
 * const loop = new Loop();
 * loop.io(0, READ, () => {}, { priority: MAXPRI }).start(); // invoked before lower priorities
 * ```
 */
export const MAXPRI = 2;
