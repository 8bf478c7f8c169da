/**
 * The benchmark as an SVG bar chart: ns per event for every job, one panel
 * per configuration and mode, on one logarithmic axis so that libev in C and
 * the `epoll` package fit on the same page.
 *
 * @module
 */

import { groupRows } from './groups.js';
import type { BenchReport } from './report.js';
import { decadeGrid, esc, logAxis, svgDocument } from './svg-frame.js';

const FAMILY_COLOUR: Record<string, string> = {
  raw: '#111827',
  libev: '#6b7280',
  evring: '#2563eb',
  loop: '#16a34a',
  libuv: '#d97706',
  'epoll-npm': '#dc2626',
};

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
  const left = 210;
  const width = 900;
  const bar = 14;
  const axis = logAxis(values, width - left - 90);
  const x = axis.x;
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
  return svgDocument(width, y + 24, [...decadeGrid(axis, left, 30, y, '#ddd'), ...parts]);
}
