import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const child = fileURLToPath(new URL('./fuzz-child.mjs', import.meta.url));

describe('fuzz: hostile arguments never kill the process', () => {
  // Fixed seeds so a failure reproduces: node test/fuzz-child.mjs <seed> <iterations>
  // The hot calls are entered straight from V8 on this Node (direct_call.h);
  // two seeds run with Node-API's entry, as another Node major would.
  for (const [seed, entry] of [
    [1, 'v8'],
    [2, 'v8'],
    [3, 'v8'],
    [4, 'v8'],
    [5, 'node-api'],
    [6, 'node-api'],
  ] as const) {
    it(`seed ${seed}, hot calls entered through ${entry}`, () => {
      const cwd = mkdtempSync(join(tmpdir(), 'evring-fuzz-')); // random OPENAT/MKDIRAT land here
      try {
        const res = spawnSync(process.execPath, ['--expose-gc', child, String(seed), '250'], {
          cwd,
          encoding: 'utf8',
          timeout: 60_000,
          killSignal: 'SIGKILL',
          stdio: ['ignore', 'pipe', 'pipe'],
          env: { ...process.env, EVRING_SYS_NODE_API: entry === 'node-api' ? '1' : '0' },
        });
        // The child writes its verdict to a file too: it survives a child
        // whose stdout was lost.
        let verdict = '(none)';
        try {
          verdict = readFileSync(join(cwd, 'fuzz-result'), 'utf8');
        } catch {}
        const report = `status ${res.status}; verdict file: ${verdict}; stderr:\n${res.stderr.slice(-2000)}`;
        expect(res.signal, `child died by ${res.signal}; ${report}`).toBeNull();
        expect(res.status, report).toBe(0);
        expect(res.stdout, report).toContain('fuzz ok');
        expect(res.stdout).toContain(`hot calls: ${entry}`);
      } finally {
        rmSync(cwd, { recursive: true, force: true });
      }
    }, 90_000);
  }
});
