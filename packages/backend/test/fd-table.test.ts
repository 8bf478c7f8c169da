import { describe, expect, it } from 'vitest';
import { FdTable, REIFY_FDSET, REIFY_PENDING } from '../src/index.js';

describe('FdTable', () => {
  it('queues an fd once per iteration however often it changes', () => {
    const t = new FdTable(8);
    t.change(3);
    t.change(3);
    t.change(5, REIFY_FDSET);
    t.change(3, REIFY_FDSET);
    expect(t.changeCount).toBe(2);
    const seen: [number, number][] = [];
    t.drainChanges((fd, flags) => seen.push([fd, flags]));
    expect(seen).toEqual([
      [3, REIFY_PENDING | REIFY_FDSET],
      [5, REIFY_PENDING | REIFY_FDSET],
    ]);
    expect(t.changeCount).toBe(0);
    expect(t.reify[3]).toBe(0);
  });

  it('keeps changes made while draining for the next drain (one-shot re-arms)', () => {
    const t = new FdTable(8);
    t.change(1);
    const order: number[] = [];
    t.drainChanges((fd) => {
      order.push(fd);
      t.change(2);
      t.change(1);
    });
    expect(order).toEqual([1]);
    expect(t.changeCount).toBe(2);
    t.drainChanges((fd) => order.push(fd));
    expect(order).toEqual([1, 2, 1]);
  });

  it('grows to cover large fds and many changes', () => {
    const t = new FdTable(8);
    for (let fd = 0; fd < 5000; fd++) t.change(fd);
    expect(t.capacity).toBeGreaterThanOrEqual(5000);
    expect(t.changeCount).toBe(5000);
    let n = 0;
    t.drainChanges(() => n++);
    expect(n).toBe(5000);
    expect(() => t.ensure(2 ** 31)).toThrow(RangeError);
  });
});
