import { describe, expect, it } from 'vitest';
import { readStatx, readStatxBigInt, statx } from '../src/index.js';

/** A statx answer with values past 2^53 and times before and after the epoch. */
function answer(base: number): DataView {
  const view = new DataView(new ArrayBuffer(base + statx.size));
  const f = statx.fields;
  view.setUint32(base + f.stx_mask.offset, 0xfff, true);
  view.setUint32(base + f.stx_blksize.offset, 4096, true);
  view.setUint32(base + f.stx_nlink.offset, 3, true);
  view.setUint32(base + f.stx_uid.offset, 1000, true);
  view.setUint32(base + f.stx_gid.offset, 100, true);
  view.setUint16(base + f.stx_mode.offset, 0o100640, true);
  view.setBigUint64(base + f.stx_ino.offset, 2n ** 64n - 3n, true);
  view.setBigUint64(base + f.stx_size.offset, 2n ** 60n + 1n, true);
  view.setBigUint64(base + f.stx_blocks.offset, 9n, true);
  const time = (at: number, sec: bigint, nsec: number) => {
    view.setBigInt64(base + at, sec, true);
    view.setUint32(base + at + 8, nsec, true);
  };
  time(f.stx_atime.offset, 1_700_000_000n, 123_456_789);
  time(f.stx_btime.offset, -2n, 999_999_999);
  time(f.stx_ctime.offset, 0n, 1);
  time(f.stx_mtime.offset, 1_800_000_000n, 0);
  view.setUint32(base + f.stx_rdev_major.offset, 8, true);
  view.setUint32(base + f.stx_rdev_minor.offset, 1, true);
  view.setUint32(base + f.stx_dev_major.offset, 259, true);
  view.setUint32(base + f.stx_dev_minor.offset, 2, true);
  return view;
}

describe('readStatxBigInt', () => {
  it('reads every field at its offset, the 64-bit ones and the times in nanoseconds exactly', () => {
    expect(readStatxBigInt(answer(8), 8)).toEqual({
      mask: 0xfff,
      blksize: 4096,
      nlink: 3,
      uid: 1000,
      gid: 100,
      mode: 0o100640,
      ino: 2n ** 64n - 3n,
      size: 2n ** 60n + 1n,
      blocks: 9n,
      atimeNs: 1_700_000_000_123_456_789n,
      btimeNs: -1_000_000_001n, // −2 s + 999999999 ns
      ctimeNs: 1n,
      mtimeNs: 1_800_000_000_000_000_000n,
      rdevMajor: 8,
      rdevMinor: 1,
      devMajor: 259,
      devMinor: 2,
    });
  });

  it('agrees with readStatx wherever a number is exact', () => {
    const view = answer(0);
    const big = readStatxBigInt(view, 0);
    const num = readStatx(view, 0);
    expect(Number(big.blocks)).toBe(num.blocks);
    expect(Number(big.mtimeNs / 1_000_000n)).toBe(num.mtimeMs);
    expect(num.size).toBe(2 ** 60); // the number form rounds; the bigint one does not
    expect(big.size).not.toBe(BigInt(num.size));
  });
});
