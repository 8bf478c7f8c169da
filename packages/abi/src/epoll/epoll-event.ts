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

/** Layout of `struct epoll_event` for the running arch. */
export const epoll_event = EPOLL_EVENT_PACKED
  ? defineStruct('epoll_event', 12, { events: [0, 4], data: [4, 8] })
  : defineStruct('epoll_event', 16, { events: [0, 4], data: [8, 8] });

/** Size of one epoll_event here (12 or 16). */
export const EPOLL_EVENT_SIZE = epoll_event.size;

const O_EVENTS = epoll_event.fields.events.offset;
const O_DATA = epoll_event.fields.data.offset;

/** Writes an epoll_event; `data` as two u32 halves (evring: fd and generation). */
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

/** `events` of the i-th entry of an epoll_wait output buffer. */
export function epollEventEvents(view: DataView, index: number): number {
  return view.getUint32(index * EPOLL_EVENT_SIZE + O_EVENTS, LE);
}

/** Low half of `data` of the i-th entry. */
export function epollEventDataLo(view: DataView, index: number): number {
  return getU64Lo(view, index * EPOLL_EVENT_SIZE + O_DATA);
}

/** High half of `data` of the i-th entry. */
export function epollEventDataHi(view: DataView, index: number): number {
  return getU64Hi(view, index * EPOLL_EVENT_SIZE + O_DATA);
}
