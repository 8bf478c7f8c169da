/**
 * The benchmark as an SVG bar chart: ns per event for every job (lower is
 * better) with p10–p90 whiskers, one panel per configuration and mode, on
 * one logarithmic axis so that libev in C and the `epoll` package fit on the
 * same page, with a legend of the row families.
 *
 * @module
 */

import { groupRows } from './groups.js';
import type { BenchReport, BenchRow } from './report.js';
import { barWithWhisker, decadeGrid, esc, legend, logAxis, svgDocument } from './svg-frame.js';

const FAMILY: Record<string, [colour: string, label: string]> = {
  raw: ['#111827', 'raw C: the kernel interface alone'],
  'raw-js': ['#7c3aed', 'raw JS: the same loops on sys'],
  libev: ['#6b7280', 'libev in C'],
  evring: ['#2563eb', 'evring backend (Poller)'],
  loop: ['#16a34a', '@evring/loop'],
  libuv: ['#d97706', "Node's libuv"],
  'epoll-npm': ['#dc2626', 'epoll npm package'],
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
  // The spread is per round: scaled to per event by the row's own events per round.
  const perEvent = (r: BenchRow, k: 'p10' | 'p90'): number | undefined =>
    r[k] === undefined || !r.nsPerEvent || !r.median
      ? undefined
      : (r[k]! * r.nsPerEvent) / r.median;
  const values = report.rows.flatMap((r) =>
    r.nsPerEvent ? [r.nsPerEvent, perEvent(r, 'p90') ?? r.nsPerEvent] : [],
  );
  const left = 210;
  const width = 900;
  const bar = 14;
  const axis = logAxis(values, width - left - 90);
  const parts: string[] = [
    `<text x="10" y="20" font-size="14" font-weight="bold">evring pipe benchmark: ns per event, log scale, lower is better (linux ${esc(report.machine.kernel)})</text>`,
    ...legend(Object.values(FAMILY), 30),
  ];
  let y = 56;
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
        const value = { median: r.nsPerEvent, p10: perEvent(r, 'p10'), p90: perEvent(r, 'p90') };
        const colour = FAMILY[r.family]?.[0] ?? '#000';
        parts.push(
          ...barWithWhisker(axis, left, y, bar - 2, colour, value, `${r.nsPerEvent.toFixed(0)} ns`),
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
  return svgDocument(width, y + 24, [...decadeGrid(axis, left, 50, y, '#ddd'), ...parts]);
}
