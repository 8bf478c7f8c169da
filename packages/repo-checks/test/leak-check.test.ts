/**
 * The shared leak check (test-support/leak-check.ts) that every package's
 * tests run under: run on a fixture, it fails the test that keeps an fd
 * open, naming what the fd refers to, and passes the test that cleans up,
 * even when the close comes a little after the test returns.
 */

import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { ROOT } from './workspace.js';

const HERE = new URL('..', import.meta.url).pathname;

it('fails the test that leaves an fd open and only that one', () => {
  const fixture = join(HERE, 'test/fixtures/leaks');
  const r = spawnSync(
    join(ROOT, 'node_modules/.bin/vitest'),
    ['run', '--root', fixture, '--reporter=json'],
    { encoding: 'utf8', maxBuffer: 64 << 20 },
  );
  expect(r.status).not.toBe(0);
  const report = JSON.parse(r.stdout) as {
    testResults: {
      assertionResults: { title: string; status: string; failureMessages: string[] }[];
    }[];
  };
  const results = report.testResults.flatMap((f) => f.assertionResults);
  const status = Object.fromEntries(results.map((t) => [t.title.split(':')[0], t.status]));
  expect(status).toEqual({ clean: 'passed', leaky: 'failed', late: 'passed' });
  const leaky = results.find((t) => t.title.startsWith('leaky'))!;
  expect(leaky.failureMessages.join('\n')).toMatch(
    /fd \d+ \(\/dev\/zero\) was opened and not closed/,
  );
});
