/**
 * mkdtemp's names and tries, apart from any kernel: the six letters after
 * the prefix, another name for each EEXIST, and where it gives up.
 */

import { describe, expect, it } from 'vitest';
import { MKDTEMP_ATTEMPTS, makeTempDirectory, tempName } from '../src/file-mkdtemp.js';
import { type FileSystemError, fileError } from '../src/file-ops.js';

const EEXIST = -17;
const EACCES = -13;

/** Runs makeTempDirectory over a mkdir that answers each try from `answers` (null: made). */
function play(answers: (number | null)[]): {
  tried: string[];
  err: FileSystemError | null;
  path?: string;
} {
  const tried: string[] = [];
  let result: { err: FileSystemError | null; path?: string } | undefined;
  makeTempDirectory(
    Buffer.from('/tmp/p-'),
    (path, done) => {
      tried.push(path.toString());
      const res = tried.length <= answers.length ? answers[tried.length - 1]! : EEXIST;
      done(res === null ? null : fileError(res, 'mkdtemp', path.toString(), null));
    },
    (err, path) => {
      result = { err, ...(path === undefined ? {} : { path: path.toString() }) };
    },
  );
  if (result === undefined) throw new Error('makeTempDirectory did not finish');
  return { tried, ...result };
}

describe('mkdtemp names and tries', () => {
  it('a name is the prefix and six letters of [A-Za-z0-9], all of them used, none favoured much', () => {
    const prefix = Buffer.from('pre-');
    const counts = new Map<string, number>();
    for (let i = 0; i < 2000; i++) {
      const name = tempName(prefix).toString();
      expect(name).toMatch(/^pre-[A-Za-z0-9]{6}$/);
      for (const c of name.slice(4)) counts.set(c, (counts.get(c) ?? 0) + 1);
    }
    // 12,000 letters over 62: about 194 each.
    expect(counts.size).toBe(62);
    for (const [c, k] of counts) expect(k, c).toBeGreaterThan(100);
    for (const [c, k] of counts) expect(k, c).toBeLessThan(300);
  });

  it('a taken name (EEXIST) is given up for another; the first made one is the result', () => {
    const got = play([EEXIST, EEXIST, null]);
    expect(got.tried).toHaveLength(3);
    expect(new Set(got.tried).size).toBe(3);
    expect(got.err).toBeNull();
    expect(got.path).toBe(got.tried[2]);
  });

  it(`gives up with EEXIST after ${MKDTEMP_ATTEMPTS} taken names, and at once on any other error`, () => {
    const taken = play([]);
    expect(taken.tried).toHaveLength(MKDTEMP_ATTEMPTS);
    expect(taken.err).toMatchObject({
      code: 'EEXIST',
      syscall: 'mkdtemp',
      path: taken.tried.at(-1),
    });
    const refused = play([EACCES]);
    expect(refused.tried).toHaveLength(1);
    expect(refused.err).toMatchObject({ code: 'EACCES', path: refused.tried[0] });
  });
});
