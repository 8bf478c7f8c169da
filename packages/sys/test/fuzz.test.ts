import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const child = fileURLToPath(new URL('./fuzz-child.mjs', import.meta.url));

describe('fuzz: hostile arguments never kill the process', () => {
  // Fixed seeds so a failure reproduces: node test/fuzz-child.mjs <seed> <iterations>
  for (const seed of [1, 2, 3, 4, 5, 6]) {
    it(`seed ${seed}`, () => {
      const cwd = mkdtempSync(join(tmpdir(), 'evring-fuzz-')); // random OPENAT/MKDIRAT land here
      try {
        const res = spawnSync(process.execPath, ['--expose-gc', child, String(seed), '250'], {
          cwd,
          encoding: 'utf8',
          timeout: 60_000,
          killSignal: 'SIGKILL',
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        expect(
          res.signal,
          `child died by ${res.signal}; stderr:\n${res.stderr.slice(-2000)}`,
        ).toBeNull();
        expect(res.status, res.stderr.slice(-2000)).toBe(0);
        expect(res.stdout).toContain('fuzz ok');
      } finally {
        rmSync(cwd, { recursive: true, force: true });
      }
    }, 90_000);
  }
});
