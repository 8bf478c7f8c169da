/**
 * Kernel tunables read from /proc, each as a number or undefined when this
 * kernel has no such file (io_uring_disabled came with 6.6, say).
 *
 * @module
 */

import { readFileSync } from 'node:fs';

/** A /proc/sys value as a number, or undefined when absent or unreadable. */
export function procNumber(path: string): number | undefined {
  try {
    const n = Number(readFileSync(path, 'utf8').trim());
    return Number.isFinite(n) ? n : undefined;
  } catch {
    return undefined;
  }
}
