/** Test helpers: hex dumps of DataView regions, and slots pre-filled with garbage. */

export function hex(view: DataView, base: number, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++)
    out += view
      .getUint8(base + i)
      .toString(16)
      .padStart(2, '0');
  return out;
}

/** A view of `size` bytes filled with 0xaa, so a builder that skips a byte shows it. */
export function dirtyView(size: number): DataView {
  const buf = new Uint8Array(size).fill(0xaa);
  return new DataView(buf.buffer);
}

/** Joins 16-hex-digit rows (one u64 each) into one string. */
export function rows(...parts: string[]): string {
  for (const p of parts) if (p.length !== 16) throw new Error(`row ${p} is not 8 bytes`);
  return parts.join('');
}

export const Z = '0000000000000000';
