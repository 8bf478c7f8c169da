/**
 * Kernel release parsing for the one version gate this backend needs.
 * Compares numerically part by part (no `major<<16|minor<<8|patch` packing,
 * which overflows for patch levels above 255).
 *
 * @module
 */

/**
 * `[major, minor, patch]` from a release such as `6.18.44-fc-v769`; missing parts are 0.
 *
 * @example
 * ```ts
 * import { parseRelease } from '@evring/backend-linuxaio';
 * console.log(parseRelease('6.18.44-fc-v769')); // [6, 18, 44]
 * ```
 */
export function parseRelease(release: string): [number, number, number] {
  const m = /^(\d+)(?:\.(\d+))?(?:\.(\d+))?/.exec(release);
  if (!m) return [0, 0, 0];
  return [Number(m[1]), Number(m[2] ?? 0), Number(m[3] ?? 0)];
}

/**
 * True when `release` is at least `major.minor`.
 *
 * @example
 * ```ts
 * import { release } from 'node:os';
 * import { atLeast } from '@evring/backend-linuxaio';
 * if (!atLeast(release(), 4, 19)) console.log('no IOCB_CMD_POLL beside epoll here');
 * ```
 */
export function atLeast(release: string, major: number, minor: number): boolean {
  const [a, b] = parseRelease(release);
  return a > major || (a === major && b >= minor);
}
