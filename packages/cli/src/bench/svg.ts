/**
 * The benchmark as an SVG bar chart: ns per event for every job, one panel
 * per configuration and mode, on one logarithmic axis so that libev in C and
 * the `epoll` package fit on the same page.
 *
 * @module
 */

import { groupRows } from './groups.js';
import type { BenchReport } from './report.js';

const FAMILY_COLOUR: Record<string, string> = {
  raw: '#111827',
  libev: '#6b7280',
  evring: '#2563eb',
  loop: '#16a34a',
  libuv: '#d97706',
  'epoll-npm': '#dc2626',
};

const esc = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/**
 * Renders the report's rows as a standalone SVG document.
 *
 * @example
 * ```ts
 * import { writeFileSync } from 'node:fs';
 * import { QUICK, renderSvg, runBench } from '@evring/cli';
 * writeFileSync('bench.svg', renderSvg(await runBench({ matrix: QUICK })));
 * ```
 */
export function renderSvg(report: BenchReport): string {
  const groups = groupRows(report.rows);
  const values = report.rows.flatMap((r) => (r.nsPerEvent ? [r.nsPerEvent] : []));
  const lo = 10 ** Math.floor(Math.log10(Math.min(...values, 100)));
  const hi = 10 ** Math.ceil(Math.log10(Math.max(...values, 1000)));
  const left = 210;
  const width = 900;
  const plot = width - left - 90;
  const bar = 14;
  const x = (v: number): number => (plot * Math.log10(v / lo)) / Math.log10(hi / lo);
  const parts: string[] = [];
  let y = 40;
  parts.push(
    `<text x="10" y="20" font-size="14" font-weight="bold">evring pipe benchmark: ns per event (log scale), linux ${esc(report.machine.kernel)}</text>`,
  );
  for (const g of groups) {
    parts.push(
      `<text x="10" y="${y + 12}" font-size="12" font-weight="bold">${esc(g.title)}</text>`,
    );
    y += 18;
    for (const r of g.rows) {
      parts.push(
        `<text x="${left - 6}" y="${y + 11}" font-size="11" text-anchor="end">${esc(r.job)}</text>`,
      );
      if (r.nsPerEvent) {
        const w = Math.max(1, x(r.nsPerEvent));
        const colour = FAMILY_COLOUR[r.family] ?? '#000';
        parts.push(
          `<rect x="${left}" y="${y}" width="${w.toFixed(1)}" height="${bar - 2}" fill="${colour}"/>`,
        );
        parts.push(
          `<text x="${(left + w + 4).toFixed(1)}" y="${y + 11}" font-size="11">${r.nsPerEvent.toFixed(0)} ns</text>`,
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
  // Decade grid lines over the whole height.
  const grid: string[] = [];
  for (let v = lo; v <= hi; v *= 10) {
    const gx = (left + x(v)).toFixed(1);
    grid.push(`<line x1="${gx}" y1="30" x2="${gx}" y2="${y}" stroke="#ddd"/>`);
    grid.push(
      `<text x="${gx}" y="${y + 14}" font-size="10" text-anchor="middle">${v >= 1000 ? `${v / 1000} µs` : `${v} ns`}</text>`,
    );
  }
  const height = y + 24;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif">`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    ...grid,
    ...parts,
    '</svg>',
    '',
  ].join('\n');
}
