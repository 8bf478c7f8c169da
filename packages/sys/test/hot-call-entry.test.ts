/**
 * The hot calls are entered straight from V8 when the running Node is the
 * major sys was compiled against (direct_call.h), and through Node-API
 * otherwise. Both entries must behave the same: the same results, the same
 * bytes moved, the same errors, for every argument shape.
 */

import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { hotCallEntry } from '../src/index.js';

const probe = fileURLToPath(new URL('./hot-call-probe.mjs', import.meta.url));
const addon = fileURLToPath(new URL('../build/Release/evring_sys.node', import.meta.url));

function run(nodeApi: boolean): { entry: string; calls: number; lines: string[] } {
  const res = spawnSync(process.execPath, [probe], {
    encoding: 'utf8',
    timeout: 60_000,
    killSignal: 'SIGKILL',
    env: { ...process.env, EVRING_SYS_NODE_API: nodeApi ? '1' : '0' },
  });
  expect(res.signal, res.stderr).toBeNull();
  expect(res.status, res.stderr).toBe(0);
  const [head, ...lines] = res.stdout.trimEnd().split('\n');
  const { entry, calls } = JSON.parse(head!) as { entry: string; calls: number };
  expect(lines.length).toBe(calls);
  return { entry, calls, lines };
}

describe('how the hot calls are entered', () => {
  it('straight from V8 in this build, which was compiled against this Node', () => {
    // The workspace builds sys from source against the Node that runs it.
    expect(hotCallEntry).toBe(process.env.EVRING_SYS_NODE_API === '1' ? 'node-api' : 'v8');
  });

  it('gives the same answer through V8 and through Node-API, for every argument shape', () => {
    const v8 = run(false);
    const napi = run(true);
    expect(v8.entry).toBe('v8');
    expect(napi.entry).toBe('node-api');
    // Calls that worked and calls that threw, on every hot call.
    const worked = v8.lines.filter((l) => l.includes('"r":'));
    const threw = v8.lines.filter((l) => l.includes('"name":'));
    expect(worked.length).toBeGreaterThan(100);
    expect(threw.length).toBeGreaterThan(100);
    for (const call of [
      'read',
      'write',
      'send',
      'recv',
      'eventfdRead',
      'eventfdWrite',
      'epollWait',
      'ringEnter',
      'ioSubmit',
    ]) {
      expect(
        worked.some((l) => l.includes(`"call":"${call}"`)),
        call,
      ).toBe(true);
    }
    // Line by line, so that a difference names its call and shape.
    for (let i = 0; i < v8.lines.length; i++) expect(v8.lines[i]).toBe(napi.lines[i]);
  }, 120_000);

  it('needs no symbol of its own that it does not define (a miss would only show when called)', () => {
    // Node loads addons with lazy binding: an evring function declared but
    // defined nowhere loads fine and kills the process on its first call.
    const nm = spawnSync('nm', ['-D', '--undefined-only', addon], { encoding: 'utf8' });
    expect(nm.status, nm.stderr).toBe(0);
    // Only strong ones: `w` marks weak references, such as the compiler's
    // optional initialiser of a thread_local, which may rightly be absent.
    const strong = nm.stdout.split('\n').filter((s) => /^\s*U\s/.test(s));
    expect(strong.length).toBeGreaterThan(0); // libc's and Node's, at least
    expect(strong.filter((s) => s.includes('evring'))).toEqual([]);
  });
});
