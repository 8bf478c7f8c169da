/**
 * The README's command forms keep machine-readable output machine-readable:
 * `pnpm -s evring … --json` prints the JSON and nothing else on stdout (the
 * build that runs first reports on stderr).
 */

import { describe, expect, it } from 'vitest';
import { ROOT, run } from './workspace.js';

describe("the README's pnpm form", () => {
  it('`pnpm -s evring doctor --json` prints JSON that parses as-is', () => {
    const out = run('pnpm', ['-s', 'evring', 'doctor', '--json'], {
      cwd: ROOT,
      env: { ...process.env, TURBO_TELEMETRY_DISABLED: '1' },
    });
    const report = JSON.parse(out) as { auto?: { backend?: string } };
    expect(['epoll', 'linuxaio', 'iouring']).toContain(report.auto?.backend);
  });
});
