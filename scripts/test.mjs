#!/usr/bin/env node
// Runs every package's tests through turbo, then prints one closing line that
// sums them all: "tests: N passed, N failed, N skipped". Each package's vitest
// writes a JSON report next to itself (.vitest-results.json); stale reports
// are removed first so a package that did not run cannot count.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const packages = readdirSync(join(root, 'packages')).map((p) => join(root, 'packages', p));
const reports = packages.map((p) => join(p, '.vitest-results.json'));
for (const r of reports) rmSync(r, { force: true });

const turbo = spawnSync('turbo', ['run', 'test', '--concurrency=1', ...process.argv.slice(2)], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, TURBO_TELEMETRY_DISABLED: '1' },
});

let passed = 0;
let failed = 0;
let skipped = 0;
const missing = [];
for (const [i, r] of reports.entries()) {
  if (!existsSync(join(packages[i], 'vitest.config.ts'))) continue;
  if (!existsSync(r)) {
    missing.push(packages[i]);
    continue;
  }
  const j = JSON.parse(readFileSync(r, 'utf8'));
  passed += j.numPassedTests;
  failed += j.numFailedTests;
  skipped += j.numPendingTests + (j.numTodoTests ?? 0);
}
if (missing.length) console.error(`no test report from: ${missing.join(', ')}`);
console.log(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(turbo.status !== 0 || failed > 0 || missing.length > 0 ? 1 : 0);
