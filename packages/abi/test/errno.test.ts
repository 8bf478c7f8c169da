import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { constants, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { getSystemErrorName } from 'node:util';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import {
  errno,
  errnoMessage,
  errnoName,
  errnoNumber,
  isSystemError,
  systemError,
} from '../src/index.js';

describe('errno table', () => {
  it("agrees with Node's own table wherever Node has the name", () => {
    let checked = 0;
    for (const [name, num] of Object.entries(constants.errno)) {
      expect((errno as Readonly<Record<string, number>>)[name], name).toBe(num);
      checked++;
    }
    expect(checked).toBeGreaterThan(70);
  });

  it('has the codes Node lacks that io_uring and aio return', () => {
    // Node cannot name ETIME (util.getSystemErrorName(-62) is "Unknown system error -62")
    // and has no EBADR at all.
    expect(getSystemErrorName(-62)).toMatch(/Unknown/);
    expect('EBADR' in constants.errno).toBe(false);
    expect(errnoName(62)).toBe('ETIME');
    expect(errnoName(-53)).toBe('EBADR');
    expect(errnoNumber('ETIME')).toBe(62);
    expect(errnoMessage(62)).toBe('Timer expired');
  });

  it('is typed by name: a misspelt name does not compile, and values are literal types', () => {
    const dir = mkdtempSync(join(tmpdir(), 'evring-errno-types-'));
    try {
      const file = join(dir, 'use.ts');
      const src = fileURLToPath(new URL('../src/errno.ts', import.meta.url));
      writeFileSync(
        file,
        [
          `import { errno, type ErrnoName } from ${JSON.stringify(src.replace(/\.ts$/, '.js'))};`,
          'const again: 11 = errno.EAGAIN;',
          'const name: ErrnoName = "ETIME";',
          'const typo = errno.EAGIAN;',
          'export { again, name, typo };',
        ].join('\n'),
      );
      const program = ts.createProgram([file], {
        strict: true,
        noEmit: true,
        module: ts.ModuleKind.NodeNext,
        moduleResolution: ts.ModuleResolutionKind.NodeNext,
        target: ts.ScriptTarget.ES2022,
        types: [],
      });
      const errors = ts
        .getPreEmitDiagnostics(program)
        .filter((d) => d.file?.fileName === file)
        .map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
      expect(errors).toEqual([expect.stringMatching(/Property 'EAGIAN' does not exist/)]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    // A whole type-check (the lib files included): seconds of CPU, more on a
    // loaded machine, where vitest's 5 s default timed it out. It waits for nothing.
  }, 60_000);

  it('maps aliases to their canonical number', () => {
    expect(errno.EWOULDBLOCK).toBe(errno.EAGAIN);
    expect(errnoName(errno.EWOULDBLOCK)).toBe('EAGAIN');
    expect(errnoNumber('ENOTSUP')).toBe(95);
  });

  it('names unknown numbers without throwing', () => {
    expect(errnoName(9999)).toBe('E9999');
    expect(errnoMessage(9999)).toBe('Unknown error 9999');
  });
});

describe('systemError', () => {
  it("is shaped like Node's own errors", () => {
    const err = systemError(-11, 'io_submit');
    expect(err).toBeInstanceOf(Error);
    expect(err.code).toBe('EAGAIN');
    expect(err.errno).toBe(-11);
    expect(err.syscall).toBe('io_submit');
    expect(err.message).toBe('io_submit: EAGAIN (resource temporarily unavailable)');
    expect(isSystemError(err, 'EAGAIN')).toBe(true);
    expect(isSystemError(err, 'EINTR')).toBe(false);
    expect(isSystemError(new Error('x'))).toBe(false);
  });

  it('accepts a detail and a positive errno', () => {
    const err = systemError(62, 'io_uring_enter', 'ring 5');
    expect(err.message).toBe('io_uring_enter: ETIME (timer expired): ring 5');
    expect(err.errno).toBe(-62);
  });
});
