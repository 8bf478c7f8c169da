import { spawnSync } from 'node:child_process';
import { O_CLOEXEC, O_NONBLOCK } from '@evring/abi';
import { describe, expect, it } from 'vitest';
import { close, FdPoll, pipe2, read, UV_READABLE, UV_WRITABLE, write } from '../src/index.js';

const distEntry = new URL('../dist/index.js', import.meta.url).href;

describe("FdPoll: watching an fd from Node's own loop", () => {
  it('calls back when a pipe becomes readable, with promises and nextTicks flushed after', async () => {
    const [r, w] = pipe2(O_NONBLOCK | O_CLOEXEC);
    const order: string[] = [];
    const done = new Promise<void>((resolve) => {
      const watcher = new FdPoll(r, (status, events) => {
        order.push(`cb ${status} ${events}`);
        process.nextTick(() => order.push('tick'));
        Promise.resolve().then(() => {
          order.push('microtask');
          watcher.close();
          resolve();
        });
        read(r, Buffer.alloc(8));
      });
      watcher.start(UV_READABLE);
      expect(watcher.active).toBe(true);
    });
    write(w, Buffer.from('x'));
    await done;
    expect(order).toEqual([`cb 0 ${UV_READABLE}`, 'tick', 'microtask']);
    close(r);
    close(w);
  });

  it('two watchers on one fd both fire: each polls its own duplicate', async () => {
    const [r, w] = pipe2(O_NONBLOCK | O_CLOEXEC);
    const fired: string[] = [];
    const cleanup: FdPoll[] = [];
    const both = new Promise<void>((resolve) => {
      const done = (name: string) => () => {
        if (!fired.includes(name)) fired.push(name);
        if (fired.length === 2) resolve();
      };
      const a = new FdPoll(r, done('a'));
      const b = new FdPoll(r, done('b'));
      a.start(UV_READABLE);
      b.start(UV_READABLE);
      cleanup.push(a, b);
    });
    write(w, Buffer.from('x'));
    await both;
    for (const p of cleanup) p.close();
    expect(fired.sort()).toEqual(['a', 'b']);
    close(r);
    close(w);
  });

  it('close is idempotent and a closed watcher refuses to start', () => {
    const [r, w] = pipe2(O_NONBLOCK | O_CLOEXEC);
    const p = new FdPoll(r, () => {});
    p.start(UV_WRITABLE);
    p.stop();
    expect(p.active).toBe(false);
    p.close();
    p.close();
    expect(p.closed).toBe(true);
    expect(() => p.start(UV_READABLE)).toThrow(
      expect.objectContaining({ code: 'EBADF', syscall: 'FdPoll.start' }),
    );
    close(r);
    close(w);
  });

  it('validates its arguments', () => {
    expect(() => new FdPoll(-1, () => {})).toThrow(RangeError);
    expect(() => new FdPoll(0, 'x' as never)).toThrow(TypeError);
  });

  it('an exception in the callback surfaces as uncaughtException, and the process lives on', () => {
    const script = `
      import { FdPoll, UV_WRITABLE, pipe2 } from '${distEntry}';
      const [r, w] = pipe2(0);
      const p = new FdPoll(w, () => { p.close(); throw new Error('boom'); });
      process.on('uncaughtException', (e) => { console.log('caught', e.message); });
      p.start(UV_WRITABLE);
      setTimeout(() => console.log('alive'), 20);
    `;
    const res = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      encoding: 'utf8',
      timeout: 10_000,
    });
    expect(res.signal).toBeNull();
    expect(res.stdout).toBe('caught boom\nalive\n');
  });

  it('ref keeps the process alive; unref lets it exit', () => {
    const script = (unref: boolean) => `
      import { FdPoll, UV_READABLE, pipe2 } from '${distEntry}';
      const [r] = pipe2(0);
      const p = new FdPoll(r, () => {});
      p.start(UV_READABLE);
      ${unref ? 'p.unref();' : ''}
      console.log(p.hasRef);
    `;
    const exits = spawnSync(process.execPath, ['--input-type=module', '-e', script(true)], {
      encoding: 'utf8',
      timeout: 10_000,
    });
    expect(exits.status).toBe(0);
    expect(exits.stdout).toBe('false\n');
    const stays = spawnSync(process.execPath, ['--input-type=module', '-e', script(false)], {
      encoding: 'utf8',
      timeout: 1000,
    });
    expect(stays.signal).toBe('SIGTERM'); // killed by the timeout: the watcher kept it alive
    expect(stays.stdout).toBe('true\n');
  });

  it('works inside a worker thread, and a worker exiting with an active watcher cleans up', () => {
    // In a child process of its own: a worker started inside the test runner
    // goes through the runner's module hooks, which now and then stall it.
    const script = `
      import { Worker } from 'node:worker_threads';
      import { close, syscallCounts } from '${distEntry}';
      import { readdirSync } from 'node:fs';
      // A first worker, for whatever Node opens once for its workers.
      await new Promise((r) => new Worker('', { eval: true, execArgv: [] }).once('exit', r));
      const before = readdirSync('/proc/self/fd').length;
      const code = \`
        const { parentPort } = require('node:worker_threads');
        import('${distEntry}').then(({ FdPoll, UV_READABLE, pipe2, write }) => {
          const [r, w] = pipe2(0);
          const p = new FdPoll(r, (status, events) => {
            parentPort.postMessage({ status, events, fds: [r, w] });
            // Exit once the parent has the message (a message posted in the
            // exiting tick can be lost), leaving the watcher active and the
            // fds open: the env cleanup must cope.
            parentPort.once('message', () => process.exit(0));
          });
          p.start(UV_READABLE);
          write(w, Buffer.from('x'));
        });
      \`;
      const worker = new Worker(code, { eval: true, execArgv: [] });
      const exited = new Promise((r) => worker.once('exit', r));
      const msg = await new Promise((resolve, reject) => {
        worker.once('message', resolve);
        worker.once('error', reject);
        exited.then(() => reject(new Error('the worker exited without its message')));
      });
      worker.postMessage('exit');
      const code2 = await exited;
      // The worker's watcher was closed by its env's cleanup; its fds are the process's.
      for (const fd of msg.fds) close(fd);
      void syscallCounts;
      console.log(JSON.stringify({ status: msg.status, events: msg.events, exit: code2,
        leaked: readdirSync('/proc/self/fd').length - before }));
    `;
    const res = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(res.signal, res.stderr).toBeNull();
    expect(res.stdout, res.stderr).toMatch(/^\{/);
    expect(JSON.parse(res.stdout)).toEqual({ status: 0, events: UV_READABLE, exit: 0, leaked: 0 });
  });
});

describe('closing a watched fd through sys', () => {
  it('stops the watcher first, so libuv never polls a vanished fd', async () => {
    const [r, w] = pipe2(O_NONBLOCK | O_CLOEXEC);
    let calls = 0;
    const p = new FdPoll(r, () => {
      calls++;
    });
    p.start(UV_READABLE);
    close(r);
    expect(p.active).toBe(false);
    write(w, Buffer.from('x'));
    await new Promise((res) => setTimeout(res, 20));
    expect(calls).toBe(0);
    p.close();
    close(w);
  });
});
