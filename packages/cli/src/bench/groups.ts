/**
 * Rows grouped the way the table and the chart show them: one group per
 * configuration and mode, in run order.
 *
 * @module
 */

import { configLabel } from './matrix.js';
import type { BenchRow } from './report.js';

/** The rows of one configuration in one mode. */
export interface RowGroup {
  title: string;
  rows: BenchRow[];
}

/** Groups rows by configuration and mode, keeping the run's order. */
export function groupRows(rows: readonly BenchRow[]): RowGroup[] {
  const groups = new Map<string, RowGroup>();
  for (const row of rows) {
    const title = `${configLabel(row.config)} · ${row.mode}`;
    let g = groups.get(title);
    if (!g) {
      g = { title, rows: [] };
      groups.set(title, g);
    }
    g.rows.push(row);
  }
  return [...groups.values()];
}
