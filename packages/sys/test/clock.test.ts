import { describe, expect, it } from 'vitest';
import { clockMonotonic, monotonicMs } from '../src/index.js';

describe('the monotonic clock', () => {
  it('moves with performance.now() (the same clock, counted from boot) and never backwards', async () => {
    const out = new Float64Array(1);
    clockMonotonic(out);
    const first = out[0]!;
    // Counted from boot, where performance.now() counts from the process start.
    expect(first).toBeGreaterThanOrEqual(performance.now());
    let last = first;
    for (let i = 0; i < 1000; i++) {
      const now = monotonicMs();
      expect(now).toBeGreaterThanOrEqual(last);
      last = now;
    }
    const perfFrom = performance.now();
    clockMonotonic(out);
    const from = out[0]!;
    await new Promise((resolve) => setTimeout(resolve, 30));
    clockMonotonic(out);
    const perfElapsed = performance.now() - perfFrom;
    const elapsed = out[0]! - from;
    expect(elapsed).toBeGreaterThanOrEqual(29);
    // The same clock: its interval was read inside performance.now()'s, so
    // it cannot be longer, however the thread was scheduled in between.
    expect(elapsed).toBeLessThanOrEqual(perfElapsed + 1e-6);
  });

  it('writes only out[0], and refuses anything but a Float64Array with room, detached ones included', () => {
    const out = new Float64Array([0, 7]);
    clockMonotonic(out);
    expect(out[0]).toBeGreaterThan(0);
    expect(out[1]).toBe(7);
    const bad: unknown[] = [
      undefined,
      null,
      1,
      new Uint8Array(8),
      new DataView(new ArrayBuffer(8)),
      [0],
    ];
    for (const v of bad) {
      expect(() => clockMonotonic(v as Float64Array)).toThrow(
        expect.objectContaining({ name: 'TypeError', code: 'ERR_INVALID_ARG_TYPE' }),
      );
    }
    expect(() => clockMonotonic(new Float64Array(0))).toThrow(
      expect.objectContaining({ name: 'RangeError', code: 'ERR_OUT_OF_RANGE' }),
    );
    const detached = new Float64Array(1);
    structuredClone(detached.buffer, { transfer: [detached.buffer] });
    expect(detached.length).toBe(0);
    expect(() => clockMonotonic(detached)).toThrow(
      expect.objectContaining({ name: 'RangeError', code: 'ERR_OUT_OF_RANGE' }),
    );
    // A view at an offset writes its own first element, not the buffer's.
    const shared = new Float64Array(3);
    clockMonotonic(new Float64Array(shared.buffer, 8, 1));
    expect(shared[0]).toBe(0);
    expect(shared[1]).toBeGreaterThan(0);
    expect(shared[2]).toBe(0);
  });
});
