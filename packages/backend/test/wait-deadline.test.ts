import { describe, expect, it } from 'vitest';
import { WaitDeadline } from '../src/index.js';

function sleepMs(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

describe('WaitDeadline', () => {
  it('counts down from the start of a bounded wait', () => {
    const d = new WaitDeadline();
    d.start(60_000);
    const first = d.left();
    expect(first).toBeLessThanOrEqual(60_000);
    expect(first).toBeGreaterThan(0);
    sleepMs(20);
    const later = d.left();
    expect(later).toBeLessThanOrEqual(first - 19);
    d.start(5);
    sleepMs(10);
    expect(d.left()).toBeLessThanOrEqual(0);
  });

  it('has no end for an unbounded wait and is already over for a zero one', () => {
    const d = new WaitDeadline();
    d.start(-1);
    expect(d.left()).toBe(Number.POSITIVE_INFINITY);
    d.start(0);
    expect(d.left()).toBe(0);
    d.start(1e9); // a new start replaces the previous deadline
    expect(d.left()).toBeGreaterThan(1e9 - 1000);
  });
});
