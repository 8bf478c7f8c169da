/**
 * The file the benchmark reads and writes: made once per run in a
 * directory of the caller's choosing, filled with non-zero bytes, read
 * through once so that reads measure the page cache (as the issue's
 * figures do), removed at the end.
 *
 * @module
 */

import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The benchmark's file.
 *
 * @example
 * ```ts
 * import { makeBenchFile } from '@evring/cli';
 * const file = makeBenchFile(64 << 20);
 * console.log(file.path, file.size);
 * file.remove();
 * ```
 */
export interface BenchFile {
  readonly path: string;
  readonly size: number;
  /** Removes the file and its directory. */
  remove(): void;
}

/**
 * Makes a file of `size` bytes (a multiple of 1 MiB is used) in `dir` (default: the temp dir).
 *
 * @example
 * ```ts
 * import { makeBenchFile } from '@evring/cli';
 * const file = makeBenchFile(8 << 20);
 * console.log(file.size); // 8388608
 * file.remove();
 * ```
 */
export function makeBenchFile(size: number, dir = tmpdir()): BenchFile {
  const home = mkdtempSync(join(dir, 'evring-bench-files-'));
  const path = join(home, 'data');
  const chunk = Buffer.alloc(1 << 20);
  for (let i = 0; i < chunk.length; i++) chunk[i] = (i * 131 + 7) & 0xff || 1;
  const chunks = Math.max(1, Math.floor(size / chunk.length));
  const fd = openSync(path, 'w+');
  try {
    for (let i = 0; i < chunks; i++) {
      chunk.writeUInt32LE(i, 0); // every MiB differs
      writeSync(fd, chunk, 0, chunk.length, i * chunk.length);
    }
    for (let i = 0; i < chunks; i++) readSync(fd, chunk, 0, chunk.length, i * chunk.length);
  } finally {
    closeSync(fd);
  }
  return {
    path,
    size: chunks * chunk.length,
    remove: () => rmSync(home, { recursive: true, force: true }),
  };
}
