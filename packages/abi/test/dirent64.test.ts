import { describe, expect, it } from 'vitest';
import {
  DIRENT64_NAME,
  DIRENT64_RECLEN,
  DIRENT64_TYPE,
  type Dirent64,
  DT_DIR,
  DT_REG,
  readDirents64,
} from '../src/index.js';

/** Records as getdents64 lays them out: 8-byte aligned, NUL-terminated names. */
function records(entries: [number, number, string][]): Uint8Array {
  const parts: Uint8Array[] = [];
  for (const [ino, type, name] of entries) {
    const nameBytes = new TextEncoder().encode(name);
    const reclen = Math.ceil((DIRENT64_NAME + nameBytes.length + 1) / 8) * 8;
    const rec = new Uint8Array(reclen);
    const view = new DataView(rec.buffer);
    view.setBigUint64(0, BigInt(ino), true);
    view.setUint16(DIRENT64_RECLEN, reclen, true);
    view.setUint8(DIRENT64_TYPE, type);
    rec.set(nameBytes, DIRENT64_NAME);
    parts.push(rec);
  }
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

const names = (bytes: Uint8Array, length = bytes.length) => {
  const out: string[] = [];
  readDirents64(bytes, length, (e: Dirent64) =>
    out.push(`${e.ino} ${e.type} ${new TextDecoder().decode(e.name)}`),
  );
  return out;
};

describe('readDirents64', () => {
  it('walks the records in order: inode (past 2^32), type, name without its NUL', () => {
    const bytes = records([
      [2, DT_DIR, '.'],
      [2 ** 40 + 5, DT_REG, 'a file with a long name, longer than eight bytes'],
      [7, DT_DIR, 'd'],
    ]);
    expect(names(bytes)).toEqual([
      '2 4 .',
      `${2 ** 40 + 5} 8 a file with a long name, longer than eight bytes`,
      '7 4 d',
    ]);
    expect(names(bytes, 0)).toEqual([]);
  });

  it('refuses bytes the kernel did not write: a cut header, a record past the range, a length too small, a length past the buffer', () => {
    const bytes = records([
      [1, DT_REG, 'x'],
      [2, DT_REG, 'y'],
    ]);
    expect(() => names(bytes, 10)).toThrow(RangeError);
    expect(() => names(bytes, bytes.length - 1)).toThrow(RangeError);
    const zero = bytes.slice();
    new DataView(zero.buffer).setUint16(DIRENT64_RECLEN, 0, true); // would never advance
    expect(() => names(zero)).toThrow(RangeError);
    expect(() => names(bytes, bytes.length + 8)).toThrow(RangeError);
  });
});
