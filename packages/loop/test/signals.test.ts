import { spawn, spawnSync } from 'node:child_process';
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
      const deadline = performance.now() + 2000;
      while (nodeSaw === 0 && performance.now() < deadline)
        await new Promise((r) => setTimeout(r, 5));
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

describe("a signal's default action", () => {
  const loopUrl = JSON.stringify(new URL('../dist/index.js', import.meta.url).href);
  /** A child that catches SIGUSR2 with a watcher, stops it, then gets SIGUSR2 again. */
  const child = (withNodeListener: boolean) =>
    spawnSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `const { Loop } = await import(${loopUrl});
         ${withNodeListener ? "process.on('SIGUSR2', () => console.log('node listener'));" : ''}
         const loop = new Loop();
         const w = loop.signal('SIGUSR2', () => {
           console.log('caught');
           w.stop();
           setTimeout(() => {
             process.kill(process.pid, 'SIGUSR2');
             setTimeout(() => { console.log('survived'); loop.destroy(); }, 300);
           }, 20);
         }).start();
         setImmediate(() => process.kill(process.pid, 'SIGUSR2'));`,
      ],
      { encoding: 'utf8', timeout: 10_000 },
    );

  it('is held off while a watcher is active, and is back once the last one stops (as libev: SIG_DFL)', () => {
    const r = child(false);
    expect(r.stdout).toBe('caught\n');
    expect(r.signal).toBe('SIGUSR2'); // the second one ended the process
  });

  it('a Node listener the program installed itself keeps handling it after the watcher stops', () => {
    const r = child(true);
    expect(r.stdout.split('\n').filter(Boolean)).toEqual([
      'caught',
      'node listener',
      'node listener',
      'survived',
    ]);
    expect(r.status).toBe(0);
  });
});
