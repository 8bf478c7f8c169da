/**
 * Every suite ends with the process's fd table as it found it: call
 * `checkNoFdLeaks()` at the top of a test file.
 */
import { readdirSync } from 'node:fs';
import { afterAll, beforeAll, expect } from 'vitest';

export function openFds(): Set<string> {
  return new Set(readdirSync('/proc/self/fd'));
}

export function checkNoFdLeaks(): void {
  let before: Set<string>;
  beforeAll(() => {
    before = openFds();
  });
  afterAll(() => {
    const after = openFds();
    const leaked = [...after].filter((fd) => !before.has(fd));
    // readdirSync's own fd is gone by the time it returns; anything left is ours.
    expect(leaked, 'fds left open by this suite').toEqual([]);
  });
}
