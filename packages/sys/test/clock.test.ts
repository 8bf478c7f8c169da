import { Worker } from 'node:worker_threads';
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

  it('monotonicMs reads the clock clockMonotonic writes, through a cell of its own', () => {
    const out = new Float64Array(1);
    for (let i = 0; i < 100; i++) {
      clockMonotonic(out);
      const before = out[0]!;
      const now = monotonicMs();
      clockMonotonic(out);
      expect(now).toBeGreaterThanOrEqual(before);
      expect(now).toBeLessThanOrEqual(out[0]!);
    }
  });

  it("the raw binding's clock cell: one buffer per thread, a tick before it is refused, a transfer frees nothing", async () => {
    // A worker's own env, through the raw binding (no init): the cell does not exist yet.
    const code = `
      const { parentPort, workerData } = require('node:worker_threads');
      const { createRequire } = require('node:module');
      const native = createRequire(workerData.pkg)('./build/Release/evring_sys.node');
      const out = {};
      try { native.clockTick(); out.before = 'no error'; } catch (e) { out.before = e.code; }
      const a = native.clockCell();
      const b = native.clockCell();
      out.sameBuffer = a.buffer === b.buffer;
      native.clockTick();
      out.read = a[0] > 0 && b[0] === a[0];
      try { structuredClone(a.buffer, { transfer: [a.buffer] }); } catch {}
      const last = a[0];
      native.clockTick();
      out.afterTransfer = a.length === 1 && a[0] >= last;
      parentPort.postMessage(out);
    `;
    const pkg = new URL('../package.json', import.meta.url).pathname;
    const worker = new Worker(code, { eval: true, workerData: { pkg }, execArgv: [] });
    const exited = new Promise((r) => worker.once('exit', r));
    const out = await new Promise((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
    expect(await exited).toBe(0);
    expect(out).toEqual({
      before: 'ERR_EVRING_NO_CLOCK_CELL',
      sameBuffer: true,
      read: true,
      afterTransfer: true,
    });
  });
});
