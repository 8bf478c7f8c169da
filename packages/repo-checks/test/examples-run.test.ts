/**
 * The self-contained TSDoc examples of @evring/abi, @evring/sys and
 * @evring/backend run, and say what is true: each is loaded as a module
 * (making its syscalls on this kernel), and every line of the form
 * `expression; // <literal>` (true, false, a number, a bigint, a quoted
 * string, an array of those) becomes a check that the expression has that
 * value. Examples that need context the reader supplies (`declare const`) are
 * only type-checked (examples-compile.test.ts); the conformance helpers of
 * `@evring/backend/testing` register tests and run only inside a test file.
 */

import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { type Example, examplesOf, writeExamples } from './examples.js';

const DIR = new URL('../.examples-run/', import.meta.url).pathname;

const runnable = (e: Example) => !/^\s*declare /m.test(e.code);
const examples = [
  ...examplesOf('abi'),
  ...examplesOf('sys'),
  ...examplesOf('backend', (file) => !file.includes('/testing')),
].filter(runnable);

const CLAIM =
  /^(?!\s*(?:const|let|var|import|if|for|try|await)\b)(\s*)(.+?);\s*\/\/ (true|false|undefined|-?\d+n?|'[^']*'|\[[^\]]*\])(?=$|[\s:,;(])/;

/** The example with its claims turned into checks; `claims` counts them. */
function withChecks(e: Example, claims: { count: number }): string {
  let statementStart = true;
  const lines = e.code.split('\n').map((line) => {
    // Only a line that starts a statement can be one: not the tail of a call split over lines.
    const starts = statementStart;
    const trimmed = line.replace(/\s*\/\/.*$/, '').trim();
    if (trimmed !== '') statementStart = /[;{}]$/.test(trimmed);
    const m = starts ? CLAIM.exec(line) : null;
    if (!m) return line;
    claims.count++;
    const [, indent, expr, literal] = m;
    const expected = literal!.startsWith("'") ? JSON.stringify(literal!.slice(1, -1)) : literal!;
    return `${indent}(globalThis as any).__claim(${JSON.stringify(`${e.where}: ${expr}`)}, (${expr}), ${expected});`;
  });
  return lines.join('\n');
}

const failures: string[] = [];
(globalThis as Record<string, unknown>).__claim = (what: string, got: unknown, want: unknown) => {
  const same = Array.isArray(want)
    ? JSON.stringify(Array.from(got as ArrayLike<unknown>)) === JSON.stringify(want)
    : Object.is(got, want);
  if (!same) failures.push(`${what} is ${String(got)}, the comment says ${String(want)}`);
};

const claims = { count: 0 };
const files = writeExamples(DIR, examples, (e) => withChecks(e, claims));

afterAll(async () => {
  const { rmSync } = await import('node:fs');
  rmSync(DIR, { recursive: true, force: true });
});

describe('the runnable examples', () => {
  it('are most of abi, sys and backend, with their claims', () => {
    expect(examples.length).toBeGreaterThan(150);
    expect(claims.count).toBeGreaterThan(150);
  });

  it.each(files.map((f, i) => [examples[i]!.where, f] as const))(
    '%s runs',
    async (_where, file) => {
      const log = vi.spyOn(console, 'log').mockImplementation(() => {});
      const before = failures.length;
      try {
        await import(pathToFileURL(file).href);
      } finally {
        log.mockRestore();
      }
      expect(failures.slice(before)).toEqual([]);
    },
  );
});
