import { getEventListeners } from 'node:events';
import { drain, poke } from '@evring/backend/testing';
import { read } from '@evring/sys';
import { describe, expect, it } from 'vitest';
import { ERROR, READ, TIMER, WRITE } from '../src/index.js';
import { BACKENDS, ManualClock, testScope } from './helpers.js';

describe.each(BACKENDS)('once, promises and for await on %s', (backend) => {
  const t = testScope();

  it('once(): READ when the fd is ready first, TIMER when the timeout passes first; then nothing is left', () => {
    const clock = new ManualClock();
    const loop = t.loop({ backend, clock });
    const { r, w } = t.fds.pipe();
    const got: number[] = [];
    loop.once(r, READ, 10, (ev) => got.push(ev));
    poke(w);
    loop.run('once');
    expect(got).toEqual([READ]);
    expect(loop.run('nowait')).toBe(false); // io and timer both stopped
    drain(r);
    loop.once(r, READ, 0.5, (ev) => got.push(ev));
    clock.advance(1);
    loop.run('nowait');
    expect(got).toEqual([READ, TIMER]);
    expect(loop.run('nowait')).toBe(false);
    loop.once(-1, 0, 0.1, (ev) => got.push(ev)); // timeout only
    clock.advance(1);
    loop.run('nowait');
    expect(got).toEqual([READ, TIMER, TIMER]);
    const h = loop.once(r, READ, -1, (ev) => got.push(ev)); // fd only, then cancelled
    h.cancel();
    poke(w);
    loop.run('nowait');
    expect(got).toHaveLength(3);
  });

  it('readable() and writable() resolve with the events; an AbortSignal rejects with AbortError', async () => {
    const loop = t.loop({ backend, attach: true });
    const { r, w } = t.fds.pipe();
    const readable = loop.readable(r);
    expect(await loop.writable(w)).toBe(WRITE);
    poke(w);
    expect(await readable).toBe(READ);
    drain(r);
    const ac = new AbortController();
    const pending = loop.readable(r, { signal: ac.signal });
    ac.abort();
    await expect(pending).rejects.toMatchObject({ name: 'AbortError', code: 'ABORT_ERR' });
    await expect(loop.readable(r, { signal: ac.signal })).rejects.toMatchObject({
      name: 'AbortError',
    });
    expect(loop.refCount).toBe(0); // nothing left behind by the aborted waits
  });

  it('an io watcher consumed with for await yields each readiness, pausing while the consumer works', async () => {
    const loop = t.loop({ backend, attach: true });
    const { r, w } = t.fds.pipe();
    const byte = Buffer.alloc(1);
    const io = loop.io(r, READ);
    let n = 0;
    setTimeout(() => poke(w), 1);
    for await (const revents of io) {
      expect(revents).toBe(READ);
      expect(read(r, byte)).toBe(1);
      if (++n === 5) break; // stops the watcher
      setTimeout(() => poke(w), 1);
    }
    expect(n).toBe(5);
    expect(io.isActive).toBe(false);
  });

  it('for await ends after an ERROR (the kernel rejected the fd)', async () => {
    const loop = t.loop({ backend, attach: true });
    const { r, w } = t.fds.pipe();
    t.fds.close(r);
    t.fds.close(w);
    const seen: number[] = [];
    for await (const revents of loop.io(r, READ)) seen.push(revents >>> 0);
    expect(seen).toEqual([(ERROR | READ | WRITE) >>> 0]);
  });

  it('an AbortSignal stops a watcher, and keeps an aborted one from starting', () => {
    const loop = t.loop({ backend });
    const ac = new AbortController();
    const w = loop.timer(10, 0, () => {}, { signal: ac.signal }).start();
    expect(w.isActive).toBe(true);
    ac.abort();
    expect(w.isActive).toBe(false);
    expect(w.start().isActive).toBe(false);
  });

  it('one AbortSignal shared by many watchers and waits: one listener on it, and an abort ends them all', async () => {
    const loop = t.loop({ backend, attach: true });
    const ac = new AbortController();
    const signal = ac.signal;
    const timers = Array.from({ length: 15 }, () =>
      loop.timer(10, 0, () => {}, { signal }).start(),
    );
    const onces: string[] = [];
    for (let i = 0; i < 15; i++) loop.once(-1, 0, 10, () => onces.push('ran'), { signal });
    const { r } = t.fds.pipe();
    const waits = Array.from({ length: 15 }, () => loop.readable(r, { signal }));
    expect(getEventListeners(signal, 'abort')).toHaveLength(2); // the watchers'; the waits' of once() and readable()
    ac.abort();
    expect(timers.every((w) => !w.isActive)).toBe(true);
    const ends = await Promise.allSettled(waits);
    expect(
      ends.every((e) => e.status === 'rejected' && (e.reason as Error).name === 'AbortError'),
    ).toBe(true);
    loop.run('nowait');
    expect(onces).toEqual([]);
    expect(getEventListeners(signal, 'abort')).toHaveLength(0);
    expect(loop.refCount).toBe(0); // nothing left active
    // No signal (null as undefined); anything else that is not an AbortSignal is a typed error.
    loop.once(-1, 0, 0, () => onces.push('null signal'), { signal: null as never });
    loop.run('once');
    expect(onces).toEqual(['null signal']);
    const bad = { signal: { aborted: false } as never };
    expect(() => loop.once(-1, 0, 0, () => {}, bad)).toThrow(
      expect.objectContaining({ code: 'ERR_INVALID_ARG_TYPE' }),
    );
    await expect(loop.readable(r, bad)).rejects.toMatchObject({ code: 'ERR_INVALID_ARG_TYPE' });
    expect(() => loop.timer(1, 0, () => {}, bad)).toThrow(
      expect.objectContaining({ code: 'ERR_INVALID_ARG_TYPE' }),
    );
  });
});
