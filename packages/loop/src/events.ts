/**
 * The event bits a callback receives, with libev's values wherever libev has
 * the same event (EV_READ, EV_TIMER, ...). PRI and EDGE are evring's: urgent
 * data (POLLPRI) and opt-in edge triggering.
 *
 * @module
 */

export { EDGE, ERROR, PRI, READ, WRITE } from '@evring/backend';

/** A timer expired. libev's EV_TIMER. */
export const TIMER = 0x100;
/** A periodic reached its time. libev's EV_PERIODIC. */
export const PERIODIC = 0x200;
/** A signal arrived. libev's EV_SIGNAL. */
export const SIGNAL = 0x400;
/** Nothing else was pending. libev's EV_IDLE. */
export const IDLE = 0x2000;
/** The loop is about to poll. libev's EV_PREPARE. */
export const PREPARE = 0x4000;
/** The loop has just polled. libev's EV_CHECK. */
export const CHECK = 0x8000;
/** An async watcher was sent. libev's EV_ASYNC. */
export const ASYNC = 0x80000;
/** Free for the user's own events (feedEvent). libev's EV_CUSTOM. */
export const CUSTOM = 0x01000000;

/** The lowest priority. libev's EV_MINPRI. */
export const MINPRI = -2;
/** The highest priority. libev's EV_MAXPRI. */
export const MAXPRI = 2;
