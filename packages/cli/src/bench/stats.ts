/**
 * Round times summarised: the median and the 10th–90th percentile spread.
 *
 * @module
 */

/** Median and spread of a job's round times, in nanoseconds. */
export interface Spread {
  median: number;
  p10: number;
  p90: number;
}

/** Summarises round times (nearest-rank percentiles). */
export function spread(times: readonly number[]): Spread {
  if (times.length === 0) throw new RangeError('no round times to summarise');
  const s = [...times].sort((a, b) => a - b);
  const at = (p: number): number => s[Math.min(s.length - 1, Math.floor(p * s.length))]!;
  return { median: at(0.5), p10: at(0.1), p90: at(0.9) };
}
