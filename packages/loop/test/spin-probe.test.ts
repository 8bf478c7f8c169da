import { describe, expect, it } from 'vitest';
import { SpinProbe } from '../src/spin-probe.js';

/** Which of `n` events get a look, when each look finds `finds(i)`. */
function looks(probe: SpinProbe, n: number, finds: (i: number) => boolean): number[] {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    if (!probe.wanted()) continue;
    out.push(i);
    probe.found(finds(i));
  }
  return out;
}

describe('SpinProbe: the extra look an attached tick takes after fd events', () => {
  it('looks at every event while the looks find something (a chain)', () => {
    expect(looks(new SpinProbe(), 10, () => true)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('backs off while they find nothing: 1, 3, then 7 events without a look', () => {
    expect(looks(new SpinProbe(), 30, () => false)).toEqual([0, 2, 6, 14, 22]);
  });

  it('one look that finds something brings the look back at every event', () => {
    const probe = new SpinProbe();
    expect(looks(probe, 15, () => false)).toEqual([0, 2, 6, 14]);
    // Events 15..21 are skipped (7 after the third miss), 22 looks and finds a chain.
    expect(looks(probe, 12, (i) => i >= 7)).toEqual([7, 8, 9, 10, 11]);
  });
});
