/**
 * What the benchmarks' text tables share: fixed-width columns, the first
 * left-aligned and the rest right-aligned, and numbers that may be absent.
 *
 * Kept rather than cli-table3: the tables are plain aligned columns with
 * no borders, which diff, grep and paste into Markdown cleanly; cli-table3
 * draws boxes unless each of its sixteen border characters is blanked, and
 * would be the CLI's first runtime dependency for these twenty lines.
 *
 * @module
 */

/** A column: its heading and its width. */
export type Column = [heading: string, width: number];

/** `v` with `digits` decimals, or nothing when it was not measured. */
export const fixed = (v: number | undefined, digits: number): string =>
  v === undefined ? '' : v.toFixed(digits);

/** One line of cells laid out in `columns`. */
export function tableLine(columns: readonly Column[], cells: readonly string[]): string {
  return cells
    .map((c, i) => (i === 0 ? c.padEnd(columns[i]![1]) : c.padStart(columns[i]![1])))
    .join(' ');
}
