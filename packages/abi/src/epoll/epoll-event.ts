/**
 * `struct epoll_event`: packed 12 bytes with `data` at 4 on x86_64, 16 bytes
 * with `data` at 8 on aarch64 (and every other arch). The layout is chosen
 * once, in arch.ts.
 *
 * @module
 */

import { EPOLL_EVENT_PACKED, LE } from '../arch.js';
import { defineStruct } from '../layout.js';
import { getU64Hi, getU64Lo, setU64Parts } from '../u64.js';

/**
 * Layout of `struct epoll_event` for the running arch.
 *
 * @example
 * ```ts
 * import { epoll_event } from '@evring/abi';
 * epoll_event.size;               // 12 on x86_64 (packed), 16 on aarch64
 * epoll_event.fields.data.offset; // 4 on x86_64, 8 on aarch64
 * ```
 */
export const epoll_event = EPOLL_EVENT_PACKED
  ? defineStruct('epoll_event', 12, { events: [0, 4], data: [4, 8] })
  : defineStruct('epoll_event', 16, { events: [0, 4], data: [8, 8] });

/**
 * Size of one epoll_event here (12 or 16).
 *
 * @example
 * ```ts
 * import { EPOLL_EVENT_SIZE } from '@evring/abi';
 * const out = new Uint8Array(64 * EPOLL_EVENT_SIZE); // an epoll_wait buffer for 64 events
 * ```
 */
export const EPOLL_EVENT_SIZE = epoll_event.size;

const O_EVENTS = epoll_event.fields.events.offset;
const O_DATA = epoll_event.fields.data.offset;

/**
 * Writes an epoll_event; `data` as two u32 halves (evring: fd and generation).
 *
 * @example
 * ```ts
 * import { EPOLLIN, EPOLL_EVENT_SIZE, epollEventDataLo, writeEpollEvent } from '@evring/abi';
 * const ev = new DataView(new ArrayBuffer(EPOLL_EVENT_SIZE));
 * writeEpollEvent(ev, 0, EPOLLIN, 5, 1); // data: fd 5, generation 1
 * epollEventDataLo(ev, 0); // 5
 * ```
 */
export function writeEpollEvent(
  view: DataView,
  base: number,
  events: number,
  dataLo: number,
  dataHi: number,
): void {
  view.setUint32(base + O_EVENTS, events >>> 0, LE);
  setU64Parts(view, base + O_DATA, dataLo, dataHi);
  if (!EPOLL_EVENT_PACKED) view.setUint32(base + 4, 0, LE); // the padding
}

/**
 * `events` of the i-th entry of an epoll_wait output buffer.
 *
 * @example
 * ```ts
 * import { EPOLLIN, EPOLLOUT, EPOLL_EVENT_SIZE, epollEventEvents, writeEpollEvent } from '@evring/abi';
 * const out = new DataView(new ArrayBuffer(8 * EPOLL_EVENT_SIZE)); // epoll_wait's output buffer
 * writeEpollEvent(out, 1 * EPOLL_EVENT_SIZE, EPOLLIN | EPOLLOUT, 5, 0); // as the kernel fills entry 1
 * epollEventEvents(out, 1) === (EPOLLIN | EPOLLOUT); // true
 * ```
 */
export function epollEventEvents(view: DataView, index: number): number {
  return view.getUint32(index * EPOLL_EVENT_SIZE + O_EVENTS, LE);
}

/**
 * Low half of `data` of the i-th entry.
 *
 * @example
 * ```ts
 * import { EPOLL_EVENT_SIZE, epollEventDataLo } from '@evring/abi';
 * const out = new Uint8Array(8 * EPOLL_EVENT_SIZE); // filled by epollWait
 * const view = new DataView(out.buffer);
 * const fdOfFirst = epollEventDataLo(view, 0);
 * ```
 */
export function epollEventDataLo(view: DataView, index: number): number {
  return getU64Lo(view, index * EPOLL_EVENT_SIZE + O_DATA);
}

/**
 * High half of `data` of the i-th entry.
 *
 * @example
 * ```ts
 * import { EPOLL_EVENT_SIZE, epollEventDataHi } from '@evring/abi';
 * const out = new Uint8Array(8 * EPOLL_EVENT_SIZE); // filled by epollWait
 * const generationOfFirst = epollEventDataHi(new DataView(out.buffer), 0);
 * ```
 */
export function epollEventDataHi(view: DataView, index: number): number {
  return getU64Hi(view, index * EPOLL_EVENT_SIZE + O_DATA);
}
