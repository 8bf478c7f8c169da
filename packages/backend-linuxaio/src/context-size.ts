/**
 * How many requests to ask io_setup for. The kernel doubles the request (and
 * raises it to 4 per possible CPU) and rounds the ring up to whole pages; we
 * ask for what fills those pages exactly, so no ring memory goes unused, and
 * grow by a factor of 4 each time the context fills up (libev starts from
 * 15 and doubles).
 *
 * @module
 */

const PAGE = 4096;
const HEADER = 32;
const EVENT = 32;

/**
 * Requests (io_setup's nr_events) for at least `wanted` in-flight polls, filling whole ring pages.
 *
 * @example
 * ```ts
 * import { contextSize } from '@evring/backend-linuxaio';
 * console.log(contextSize(15)); // 62: the requests that fill the ring's first page
 * console.log(contextSize(100)); // grown to whole pages
 * ```
 */
export function contextSize(wanted: number): number {
  const want = Math.max(15, wanted);
  // The kernel keeps 2*nr + 2 io_events after the header.
  const pages = Math.ceil((HEADER + (2 * want + 2) * EVENT) / PAGE);
  return Math.floor(((pages * PAGE - HEADER) / EVENT - 2) / 2);
}
