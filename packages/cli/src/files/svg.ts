/**
 * The file benchmark as an SVG bar chart: ns per operation (lower is
 * better) with p10–p90 whiskers, one panel per workload, on a log axis,
 * with a legend of the row families.
 *
 * @module
 */

import {
  barWithWhisker,
  decadeGrid,
  esc,
  legend,
  logAxis,
  svgDocument,
} from '../bench/svg-frame.js';
import type { FileBenchReport } from './report.js';
import { workloadLabel } from './workload.js';

const FAMILY: Record<string, [colour: string, label: string]> = {
  c: ['#111827', 'C (liburing): the floor'],
  evring: ['#2563eb', 'evring (loop.fs)'],
  node: ['#d97706', "Node's fs"],
  reference: ['#9ca3af', 'references: sys ring alone; V8 alone, no I/O'],
};

/**
 * Renders a file benchmark report as a standalone SVG document.
 *
 * @example
 * ```ts
 * import { writeFileSync } from 'node:fs';
 * import { QUICK_FILE_WORKLOADS, renderFileSvg, runFileBench } from '@evring/cli';
 * writeFileSync('files.svg', renderFileSvg(await runFileBench({ workloads: QUICK_FILE_WORKLOADS, fileSize: 64 << 20 })));
 * ```
 */
export function renderFileSvg(report: FileBenchReport): string {
  const perOp = (r: { p10?: number; p90?: number }, k: 'p10' | 'p90', ops: number) =>
    r[k] === undefined ? undefined : r[k]! / ops;
  const values = report.rows.flatMap((r) =>
    r.nsPerOp ? [r.nsPerOp, perOp(r, 'p90', r.opsPerRound ?? r.workload.ops) ?? r.nsPerOp] : [],
  );
  const left = 290;
  const width = 980;
  const bar = 14;
  const axis = logAxis(values, width - left - 90);
  const parts: string[] = [
    `<text x="10" y="20" font-size="14" font-weight="bold">evring file benchmark: ns per operation, log scale, lower is better (linux ${esc(report.machine.kernel)})</text>`,
  ];
  parts.push(...legend(Object.values(FAMILY), 30));
  let y = 56;
  const seen = new Set<unknown>();
  for (const g of report.rows) {
    if (seen.has(g.workload)) continue;
    seen.add(g.workload);
    parts.push(
      `<text x="10" y="${y + 12}" font-size="12" font-weight="bold">${esc(workloadLabel(g.workload))}</text>`,
    );
    y += 18;
    for (const r of report.rows.filter((row) => row.workload === g.workload)) {
      parts.push(
        `<text x="${left - 6}" y="${y + 11}" font-size="11" text-anchor="end">${esc(r.job)}</text>`,
      );
      if (r.nsPerOp) {
        const value = {
          median: r.nsPerOp,
          p10: perOp(r, 'p10', r.opsPerRound ?? r.workload.ops),
          p90: perOp(r, 'p90', r.opsPerRound ?? r.workload.ops),
        };
        parts.push(
          ...barWithWhisker(
            axis,
            left,
            y,
            bar - 2,
            FAMILY[r.family]![0],
            value,
            `${r.nsPerOp.toFixed(0)} ns`,
          ),
        );
      } else {
        parts.push(
          `<text x="${left + 4}" y="${y + 11}" font-size="11" fill="#888">${esc(r.missing ?? r.error ?? '')}</text>`,
        );
      }
      y += bar;
    }
    y += 8;
  }
  return svgDocument(width, y + 24, [...decadeGrid(axis, left, 50, y, '#eee'), ...parts]);
}
