import { spawnSync } from 'node:child_process';
import { drain, poke } from '@evring/backend/testing';
import { read, write } from '@evring/sys';
import { describe, expect, it } from 'vitest';
import { EDGE, ERROR, type IoWatcher, PRI, READ, WRITE } from '../src/index.js';
import { BACKENDS, testScope } from './helpers.js';

const one = Buffer.alloc(1);

describe.each(BACKENDS)('io watchers on %s', (backend) => {
  const t = testScope();

  it('level-triggered: data left after a partial read is reported again', () => {
    const loop = t.loop({ backend });
    const { r, w } = t.fds.pipe();
    write(w, Buffer.from('abc'));
    const seen: number[] = [];
    const io = loop
      .io(r, READ, (_w, revents) => {
        seen.push(revents);
        read(r, one); // one byte per callback, as libev's benchmark
      })
      .start();
    for (let i = 0; i < 3; i++) loop.run('once');
    expect(seen).toEqual([READ, READ, READ]);
    loop.run('nowait');
    expect(seen).toHaveLength(3); // drained: nothing more
    io.stop();
  });

  it('EDGE: every arrival is reported, nothing lost when arrivals coalesce', () => {
    const loop = t.loop({ backend });
    const { r, w } = t.fds.pipe();
    let bytes = 0;
    let calls = 0;
    loop
      .io(r, READ | EDGE, () => {
        calls++;
        bytes += drain(r);
      })
      .start();
    loop.run('nowait');
    let sent = 0;
    for (let round = 0; round < 50; round++) {
      for (let k = 0; k <= round % 3; k++) {
        poke(w); // 1 to 3 arrivals between polls
        sent++;
      }
      loop.run('once');
      expect(bytes).toBe(sent); // each round's arrivals were reported in that round
    }
    expect(calls).toBe(50);
  });

  it('edgeTriggered says whether EDGE is served as asked; where it is served level, start() warns once', async () => {
    const loop = t.loop({ backend });
    const { r } = t.fds.pipe();
    const warnings: Error[] = [];
    const onWarning = (w: Error): void => {
      if ((w as Error & { code?: string }).code === 'EVRING_EDGE_AS_LEVEL') warnings.push(w);
    };
    process.on('warning', onWarning);
    try {
      const level = loop.io(r, READ, () => {}).start();
      expect(level.edgeTriggered).toBe(false);
      const edge = loop.io(r, READ | EDGE, () => {}).start();
      const second = loop.io(r, READ | EDGE, () => {}).start();
      // epoll serves EDGE; io_uring does with multishot poll (linux 5.13); Linux AIO never.
      expect(edge.edgeTriggered).toBe(backend !== 'linuxaio');
      expect(edge.edgeTriggered).toBe(loop.features.edge === true);
      await new Promise((resolve) => setImmediate(resolve)); // warnings are emitted on the next tick
      // Once per backend and process: an earlier case may have warned already, never twice.
      expect(warnings.length).toBeLessThanOrEqual(1);
      if (warnings.length === 1) {
        expect(edge.edgeTriggered).toBe(false);
        expect(warnings[0]!.message).toContain(`the ${backend} backend serves it level-triggered`);
      }
      level.stop();
      edge.stop();
      second.stop();
    } finally {
      process.off('warning', onWarning);
    }
  });

  it('several watchers on one fd each get their own events; the fd is watched for the union', () => {
    const loop = t.loop({ backend });
    const { a, b } = t.fds.socketpair();
    const got = { r: 0, w: 0, rw: 0 };
    const rw = loop.io(a, READ | WRITE, (_w, ev) => (got.rw |= ev)).start();
    loop.io(a, READ, (_w, ev) => (got.r |= ev)).start();
    loop.io(a, WRITE, (_w, ev) => (got.w |= ev)).start();
    loop.run('once');
    expect(got).toEqual({ r: 0, w: WRITE, rw: WRITE });
    poke(b);
    loop.run('once');
    expect(got).toEqual({ r: READ, w: WRITE, rw: READ | WRITE });
    rw.stop();
  });

  it("watchers of one fd run in the order they were started, as libev's, kept across a stop", () => {
    // libev (checked in C on epoll): a b c, then a c d after b stops and d
    // starts, then a c d b. The callbacks' own effects can depend on it (a
    // drain before or after a write to the same fd).
    const loop = t.loop({ backend });
    const { r, w } = t.fds.pipe();
    poke(w);
    const order: string[] = [];
    const watch = (name: string): IoWatcher => loop.io(r, READ, () => order.push(name));
    const [a, b, c, d] = [watch('a'), watch('b'), watch('c'), watch('d')];
    a.start();
    b.start();
    c.start();
    loop.run('once');
    expect(order.splice(0)).toEqual(['a', 'b', 'c']);
    b.stop();
    d.start();
    loop.run('once');
    expect(order.splice(0)).toEqual(['a', 'c', 'd']);
    b.start();
    loop.run('once');
    expect(order.splice(0)).toEqual(['a', 'c', 'd', 'b']);
  });

  it('a watcher stopped by another callback of the same iteration is not called', () => {
    const loop = t.loop({ backend });
    const p1 = t.fds.pipe();
    const p2 = t.fds.pipe();
    const calls: string[] = [];
    let w1: IoWatcher | undefined;
    let w2: IoWatcher | undefined;
    w1 = loop
      .io(p1.r, READ, () => {
        calls.push('1');
        w2!.stop();
      })
      .start();
    w2 = loop
      .io(p2.r, READ, () => {
        calls.push('2');
        w1!.stop();
      })
      .start();
    poke(p1.w);
    poke(p2.w);
    loop.run('once');
    expect(calls).toHaveLength(1);
    expect(w1.isActive && w2.isActive).toBe(false);
    expect(w1.isPending || w2.isPending).toBe(false);
  });

  it('modify() changes the events of an active watcher', () => {
    const loop = t.loop({ backend });
    const { a } = t.fds.socketpair();
    let got = 0;
    const w = loop.io(a, READ, (_w, ev) => (got |= ev)).start();
    loop.run('nowait');
    expect(got).toBe(0);
    w.modify(READ | WRITE);
    loop.run('once');
    expect(got).toBe(WRITE);
    expect(w.events).toBe(READ | WRITE);
  });

  it('set() re-registers the fd: a new file under a reused number is watched', () => {
    const loop = t.loop({ backend });
    const first = t.fds.pipe();
    let got = 0;
    const w = loop.io(first.r, READ, () => got++).start();
    loop.run('nowait');
    w.stop();
    t.fds.close(first.r);
    t.fds.close(first.w);
    const second = t.fds.pipe();
    expect(second.r).toBe(first.r); // the kernel reuses the lowest free number
    w.set(second.r, READ).start();
    poke(second.w);
    loop.run('once');
    expect(got).toBe(1);
  });

  it('an fd the kernel rejects gets ERROR | READ | WRITE and its watcher stops (fd_kill)', () => {
    const loop = t.loop({ backend });
    const { r, w } = t.fds.pipe();
    t.fds.close(r);
    t.fds.close(w);
    let got = 0;
    const io = loop.io(r, READ, (_w, ev) => (got = ev)).start();
    for (let i = 0; i < 3 && got === 0; i++) loop.run('nowait');
    expect(got >>> 0).toBe((ERROR | READ | WRITE) >>> 0);
    expect(io.isActive).toBe(false);
    expect(loop.run('nowait')).toBe(false); // nothing left: the killed watcher no longer counts
  });

  it('an fd the loop closes (loop.fs.close, its promise form, a FileHandle) ends its watchers with ERROR | READ | WRITE; an attached loop lets Node go', async () => {
    const killed = (ERROR | READ | WRITE) >>> 0;
    // The callback form, standalone: run() ends once the killed watcher is delivered.
    const loop = t.loop({ backend });
    const { r, w } = t.fds.pipe();
    const seen: number[] = [];
    const a = loop.io(r, READ, (_w, ev) => seen.push(ev >>> 0)).start();
    const b = loop.io(r, READ | WRITE, (_w, ev) => seen.push(ev >>> 0)).start();
    loop.run('nowait');
    let closed = 'no';
    loop.fs.close(r, (err) => (closed = String(err)));
    t.fds.untrack(r);
    loop
      .timer(2, 0, () => loop.break('all'))
      .unref()
      .start(); // bounds run() if a watcher outlived its fd
    expect(loop.run()).toBe(false);
    expect([seen, closed, a.isActive, b.isActive]).toEqual([
      [killed, killed],
      'null',
      false,
      false,
    ]);
    // EPIPE: no poll of the backend holds the read end (Linux AIO lets go of
    // a cancelled poll's file from a kernel worker: waited for, bounded).
    const deadline = performance.now() + 2000;
    let res = write(w, one);
    while (res !== -32 && performance.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 5));
      res = write(w, one);
    }
    expect(res).toBe(-32);
    // The promise form and a FileHandle, attached: the watcher was all that kept Node's loop.
    const attached = t.loop({ backend, attach: true });
    const p = t.fds.pipe();
    const got: number[] = [];
    attached.io(p.r, READ, (_w, ev) => got.push(ev >>> 0)).start();
    await attached.fs.promises.close(p.r);
    t.fds.untrack(p.r);
    const path = `/tmp/evring-io-close-${process.pid}-${backend}`;
    const fh = await attached.fs.promises.open(path, 'w');
    const io = attached.io(fh.fd, READ, (_w, ev) => got.push(ev >>> 0)).start();
    await fh.close();
    await attached.fs.promises.unlink(path);
    const until = performance.now() + 2000;
    while (got.length < 2 && performance.now() < until)
      await new Promise((res) => setTimeout(res, 5));
    // Nothing keeps Node's loop now: the killed watchers no longer count.
    expect([got, io.isActive, attached.refCount]).toEqual([[killed, killed], false, 0]);
  });

  it("run('once') reports a killed fd without waiting for another watcher's event", () => {
    const loop = t.loop({ backend });
    const idle = t.fds.pipe();
    loop.io(idle.r, READ, () => {}).start(); // keeps the loop waiting: never fires
    loop.timer(5, 0, () => {}).start(); // bounds the wait if the kill did not end it
    const { r, w } = t.fds.pipe();
    t.fds.close(r);
    t.fds.close(w);
    let got = 0;
    loop.io(r, READ, (_w, ev) => (got = ev)).start();
    const t0 = performance.now();
    for (let i = 0; i < 3 && got === 0; i++) loop.run('once');
    expect(got >>> 0).toBe((ERROR | READ | WRITE) >>> 0);
    expect(performance.now() - t0).toBeLessThan(2500); // a hang, not a speed limit
  });

  it('PRI reports urgent TCP data', async () => {
    const loop = t.loop({ backend });
    const tcp = await t.fds.tcp();
    let got = 0;
    loop.io(tcp.server, PRI, (_w, ev) => (got |= ev)).start();
    loop.run('nowait');
    expect(got).toBe(0);
    tcp.sendOob();
    for (let i = 0; i < 50 && got === 0; i++) loop.run('once');
    expect(got).toBe(PRI);
  });

  it('a hangup is reported as readable', () => {
    const loop = t.loop({ backend });
    const { r, w } = t.fds.pipe();
    let got = 0;
    loop.io(r, READ, (_w, ev) => (got = ev)).start();
    t.fds.close(w);
    loop.run('once');
    expect(got).toBe(READ);
    expect(read(r, one)).toBe(0); // EOF
  });
});

describe('EDGE served level-triggered', () => {
  it('a fresh process warns once (EVRING_EDGE_AS_LEVEL) however many such watchers start, and not for epoll', () => {
    const loop = JSON.stringify(new URL('../dist/index.js', import.meta.url).href);
    const script = `
      const { EDGE, Loop, READ } = await import(${loop});
      for (const backend of ['epoll', 'linuxaio', 'linuxaio']) {
        const l = new Loop({ backend, attach: false, fallback: false });
        for (let i = 0; i < 3; i++) l.io(0, READ | EDGE, () => {}).start();
        l.destroy();
      }`;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      encoding: 'utf8',
    });
    expect(r.status).toBe(0);
    const warned = r.stderr.match(/\[EVRING_EDGE_AS_LEVEL\][^\n]*/g) ?? [];
    expect(warned).toEqual([
      expect.stringContaining('the linuxaio backend serves it level-triggered'),
    ]);
  });
});
