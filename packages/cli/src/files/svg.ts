/**
 * The file benchmark as an SVG bar chart: ns per operation (lower is
 * better) with p10–p90 whiskers, one panel per workload, on a log axis,
 * with a legend of the row families.
 *
 * @module
 */

import { decadeGrid, esc, logAxis, svgDocument } from '../bench/svg-frame.js';
import type { FileBenchReport } from './report.js';
import { workloadLabel } from './workload.js';

const FAMILY: Record<string, [colour: string, label: string]> = {
  c: ['#111827', 'C (liburing): the floor'],
  evring: ['#2563eb', 'evring (loop.fs)'],
  node: ['#d97706', "Node's fs"],
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
    r.nsPerOp ? [r.nsPerOp, perOp(r, 'p90', r.workload.ops) ?? r.nsPerOp] : [],
  );
  const left = 290;
  const width = 980;
  const bar = 14;
  const axis = logAxis(values, width - left - 90);
  const x = axis.x;
  const parts: string[] = [
    `<text x="10" y="20" font-size="14" font-weight="bold">evring file benchmark: ns per operation, log scale, lower is better (linux ${esc(report.machine.kernel)})</text>`,
  ];
  let lx = 10;
  for (const [colour, label] of Object.values(FAMILY)) {
    parts.push(`<rect x="${lx}" y="30" width="10" height="10" fill="${colour}"/>`);
    parts.push(`<text x="${lx + 14}" y="39" font-size="11">${esc(label)}</text>`);
    lx += 20 + label.length * 6;
  }
  parts.push(`<text x="${lx}" y="39" font-size="11">whiskers: p10–p90 of the rounds</text>`);
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
        const w = Math.max(1, x(r.nsPerOp));
        parts.push(
          `<rect x="${left}" y="${y}" width="${w.toFixed(1)}" height="${bar - 2}" fill="${FAMILY[r.family]![0]}"/>`,
        );
        const p10 = perOp(r, 'p10', r.workload.ops);
        const p90 = perOp(r, 'p90', r.workload.ops);
        if (p10 !== undefined && p90 !== undefined) {
          const a = (left + x(p10)).toFixed(1);
          const b = (left + x(p90)).toFixed(1);
          parts.push(`<line x1="${a}" y1="${y + 6}" x2="${b}" y2="${y + 6}" stroke="#9ca3af"/>`);
        }
        const end = left + Math.max(w, p90 === undefined ? 0 : x(p90));
        parts.push(
          `<text x="${(end + 4).toFixed(1)}" y="${y + 11}" font-size="11">${r.nsPerOp.toFixed(0)} ns</text>`,
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
