import { readdirSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { ASYNC, AsyncSender } from '../src/index.js';
import { BACKENDS, testScope } from './helpers.js';

describe.each(BACKENDS)('async watchers on %s', (backend) => {
  const t = testScope();

  it('send() from a callback is delivered once however many times it is called', () => {
    const loop = t.loop({ backend });
    const got: number[] = [];
    const a = loop.async((_w, ev) => got.push(ev)).start();
    a.send();
    a.send();
    expect(a.sent).toBe(true);
    loop.run('once');
    expect(got).toEqual([ASYNC]);
    expect(a.sent).toBe(false);
    loop.run('nowait');
    expect(got).toHaveLength(1);
    a.send();
    loop.run('once');
    expect(got).toHaveLength(2);
  });

  it('a worker thread wakes a standalone run() blocked in the kernel', async () => {
    const loop = t.loop({ backend });
    let got = 0;
    const a = loop
      .async((w) => {
        got++;
        w.stop();
      })
      .start();
    const worker = new Worker(new URL('./fixtures/async-sender.mjs', import.meta.url), {
      workerData: { sender: a.sender, count: 100, delayMs: 50 },
      execArgv: [], // not the test runner's module hooks, which now and then stall a worker's start
    });
    const online = new Promise((r) => worker.once('online', r));
    await online;
    expect(loop.run()).toBe(false); // blocks until the worker's sends arrive
    expect(got).toBe(1);
    await new Promise((r) => worker.once('exit', r));
  });

  it('destroy() racing a send in another thread: the eventfd stays open until the sender has written', async () => {
    const loop = t.loop({ backend });
    const a = loop.async(() => {}).start();
    const worker = new Worker(new URL('./fixtures/async-sender-inside.mjs', import.meta.url), {
      workerData: { sender: a.sender },
      execArgv: [], // not the test runner's module hooks
    });
    const messages: string[] = [];
    const next = () =>
      new Promise<string>((r) => {
        if (messages.length > 0) r(messages.shift()!);
        else worker.once('message', (m: string) => r(m));
      });
    expect(await next()).toBe('inside');
    loop.destroy(); // waits for the sender inside, then closes
    expect(await next()).toBe('anon_inode:[eventfd]');
    expect(new AsyncSender(a.sender).send()).toBe(false);
    await new Promise((r) => worker.once('exit', r));
  });

  it('sends after destroy report false; a bad sender init is a TypeError', () => {
    const loop = t.loop({ backend });
    const a = loop.async(() => {}).start();
    const remote = new AsyncSender(a.sender);
    loop.destroy();
    expect(a.isActive).toBe(false);
    expect(remote.send()).toBe(false);
    expect(() => new AsyncSender({ flag: new Int32Array(1), wake: new Int32Array(1) })).toThrow(
      TypeError,
    );
    const shared = (n: number) => new Int32Array(new SharedArrayBuffer(4 * n));
    expect(() => new AsyncSender({ flag: shared(1), wake: shared(1) })).toThrow(TypeError); // no sender count
    expect(() => new AsyncSender({ flag: shared(1), wake: shared(2) })).not.toThrow();
  });
});

describe.each(BACKENDS)('a loop inside a worker thread, on %s', (backend) => {
  it('runs attached to the worker’s own event loop and lets the worker end by itself', async () => {
    const fdsBefore = readdirSync('/proc/self/fd').length;
    const worker = new Worker(new URL('./fixtures/worker-loop.mjs', import.meta.url), {
      workerData: { backend },
      execArgv: [], // not the test runner's module hooks
    });
    const message = new Promise((r) => worker.once('message', r));
    const exit = new Promise<number>((r) => worker.once('exit', r));
    expect(await message).toEqual({ backend, reads: 5, ticks: 3 });
    expect(await exit).toBe(0);
    expect(readdirSync('/proc/self/fd').length).toBe(fdsBefore); // the worker's loop released its fds
  });
});
