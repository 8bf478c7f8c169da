import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { describe, expect, it } from 'vitest';
import { SIGNAL } from '../src/index.js';
import { BACKENDS, testScope } from './helpers.js';

const SIGUSR2 = constants.signals.SIGUSR2;

describe.each(BACKENDS)('signal watchers on %s', (backend) => {
  const t = testScope();

  it('a standalone run() blocked in the kernel wakes up for the signal', () => {
    const loop = t.loop({ backend });
    let got = 0;
    const w = loop
      .signal('SIGUSR2', (watcher, ev) => {
        expect(ev).toBe(SIGNAL);
        expect(watcher.signum).toBe(SIGUSR2);
        got++;
        watcher.stop();
      })
      .start();
    expect(w.signame).toBe('SIGUSR2');
    // Sent from outside while this thread blocks: only the relay can wake it.
    const killer = spawn('sh', ['-c', `sleep 0.1; kill -USR2 ${process.pid}`], { stdio: 'ignore' });
    killer.unref();
    expect(loop.run()).toBe(false);
    expect(got).toBe(1);
  });

  it('an attached loop delivers it alongside Node’s own process.on listeners; two loops both see it', async () => {
    const a = t.loop({ backend, attach: true });
    const b = t.loop({ backend: 'epoll', attach: true });
    const seen: string[] = [];
    let nodeSaw = 0;
    const nodeListener = () => nodeSaw++;
    process.on('SIGUSR2', nodeListener);
    try {
      const both = new Promise<void>((resolve) => {
        const done = () => seen.length === 2 && resolve();
        a.signal(SIGUSR2, (w) => {
          seen.push('a');
          w.stop();
          done();
        }).start();
        b.signal('USR2', (w) => {
          seen.push('b');
          w.stop();
          done();
        }).start();
      });
      await new Promise((r) => setImmediate(r));
      process.kill(process.pid, 'SIGUSR2');
      await both;
      expect(seen.sort()).toEqual(['a', 'b']);
      for (let i = 0; i < 100 && nodeSaw === 0; i++) await new Promise((r) => setTimeout(r, 5));
      expect(nodeSaw).toBe(1);
    } finally {
      process.off('SIGUSR2', nodeListener);
    }
  });

  it('refuses signals that cannot be watched, and unknown ones', () => {
    const loop = t.loop({ backend });
    for (const bad of ['SIGKILL', 'SIGSTOP', 'SIGSEGV', 'NOPE', 0, 999, 1.5]) {
      expect(() => loop.signal(bad, () => {})).toThrow(
        expect.objectContaining({ code: 'ERR_INVALID_ARG_VALUE' }),
      );
    }
    expect(() => loop.signal({} as unknown as number, () => {})).toThrow(TypeError);
  });
});
