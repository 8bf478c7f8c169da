/**
 * The benchmark's fds: N read ends, each with the fd whose write wakes it.
 * Pipes give N pipes (2N fds); socketpairs are watched at both ends, so N fds
 * are N/2 pairs — the only way to reach 10,000 watched fds under this
 * machine's 20,000-fd limit.
 *
 * @module
 */

import {
  AF_UNIX,
  O_CLOEXEC,
  O_NONBLOCK,
  SOCK_CLOEXEC,
  SOCK_NONBLOCK,
  SOCK_STREAM,
} from '@evring/abi';
import * as sys from '@evring/sys';

/**
 * How the benchmark's fds are made.
 *
 * @example
 * ```ts
 * import { type FdKind, QUICK, runBench } from '@evring/cli';
 * const kinds: FdKind[] = ['socketpair']; // N fds = N/2 pairs watched at both ends
 * await runBench({ matrix: { ...QUICK, kinds, n: [10000] } });
 * ```
 */
export type FdKind = 'pipe' | 'socketpair';

/** N watched fds and, for each, the fd to write to make it readable. */
export interface FdRing {
  readonly kind: FdKind;
  /** The watched fds. */
  readonly read: Int32Array;
  /** `wake[i]`: a byte written here makes `read[i]` readable. */
  readonly wake: Int32Array;
  /** Every fd the ring owns, each once. */
  readonly all: Int32Array;
}

/** The fds a ring of `n` takes: `2n` for pipes, `n` for socketpairs. */
export function fdsNeeded(kind: FdKind, n: number): number {
  return kind === 'pipe' ? 2 * n : n;
}

/** Opens a ring; on failure, closes what was opened and rethrows. */
export function openRing(kind: FdKind, n: number): FdRing {
  const read = new Int32Array(n);
  const wake = new Int32Array(n);
  const all: number[] = [];
  try {
    if (kind === 'pipe') {
      for (let i = 0; i < n; i++) {
        const [r, w] = sys.pipe2(O_NONBLOCK | O_CLOEXEC);
        all.push(r, w);
        read[i] = r;
        wake[i] = w;
      }
    } else {
      for (let i = 0; i < n; i += 2) {
        const [a, b] = sys.socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
        all.push(a, b);
        read[i] = a;
        wake[i] = b;
        read[i + 1] = b;
        wake[i + 1] = a;
      }
    }
  } catch (err) {
    for (const fd of all) sys.close(fd);
    throw err;
  }
  return { kind, read, wake, all: Int32Array.from(all) };
}

/** Closes every fd of a ring the benchmark still owns. */
export function closeRing(ring: FdRing): void {
  for (const fd of ring.all) sys.close(fd);
}

/** For each watched fd, the fd to write to after reading it: the next one's wake fd. */
export function nextWakeByFd(ring: FdRing): Int32Array {
  let max = 0;
  for (const fd of ring.all) max = Math.max(max, fd);
  const next = new Int32Array(max + 1).fill(-1);
  const n = ring.read.length;
  for (let i = 0; i < n; i++) next[ring.read[i]!] = ring.wake[(i + 1) % n]!;
  return next;
}
