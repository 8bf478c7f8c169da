/**
 * What the benchmarks' SVG charts share: a logarithmic axis over decades,
 * its grid and labels, the legend line, a bar with its p10–p90 whisker,
 * escaping, and the document around the drawing.
 *
 * @module
 */

/** Escapes text for SVG. */
export const esc = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** A log axis `plot` pixels wide over whole decades around `values` (at least 100 ns … 1 µs). */
export interface LogAxis {
  lo: number;
  hi: number;
  /** Pixels from the axis's start for `v`. */
  x(v: number): number;
}

export function logAxis(values: readonly number[], plot: number): LogAxis {
  const lo = 10 ** Math.floor(Math.log10(Math.min(...values, 100)));
  const hi = 10 ** Math.ceil(Math.log10(Math.max(...values, 1000)));
  return { lo, hi, x: (v) => (plot * Math.log10(v / lo)) / Math.log10(hi / lo) };
}

/** A vertical line and a label per decade, from `top` to `bottom`, the axis starting at `left`. */
export function decadeGrid(
  axis: LogAxis,
  left: number,
  top: number,
  bottom: number,
  stroke: string,
): string[] {
  const grid: string[] = [];
  for (let v = axis.lo; v <= axis.hi; v *= 10) {
    const gx = (left + axis.x(v)).toFixed(1);
    grid.push(`<line x1="${gx}" y1="${top}" x2="${gx}" y2="${bottom}" stroke="${stroke}"/>`);
    grid.push(
      `<text x="${gx}" y="${bottom + 14}" font-size="10" text-anchor="middle">${v >= 1000 ? `${v / 1000} µs` : `${v} ns`}</text>`,
    );
  }
  return grid;
}

/** The legend at `y`: a swatch and a label per row family, then what the whiskers mean. */
export function legend(
  families: readonly (readonly [colour: string, label: string])[],
  y: number,
): string[] {
  const out: string[] = [];
  let lx = 10;
  for (const [colour, label] of families) {
    out.push(`<rect x="${lx}" y="${y}" width="10" height="10" fill="${colour}"/>`);
    out.push(`<text x="${lx + 14}" y="${y + 9}" font-size="11">${esc(label)}</text>`);
    lx += 20 + label.length * 6;
  }
  out.push(`<text x="${lx}" y="${y + 9}" font-size="11">whiskers: p10–p90 of the rounds</text>`);
  return out;
}

/**
 * A row's bar at `y` (its median), the p10–p90 whisker over it, and the
 * value after whichever ends further right.
 */
export function barWithWhisker(
  axis: LogAxis,
  left: number,
  y: number,
  height: number,
  colour: string,
  value: { median: number; p10?: number | undefined; p90?: number | undefined },
  label: string,
): string[] {
  const w = Math.max(1, axis.x(value.median));
  const out = [
    `<rect x="${left}" y="${y}" width="${w.toFixed(1)}" height="${height}" fill="${colour}"/>`,
  ];
  if (value.p10 !== undefined && value.p90 !== undefined) {
    const a = (left + axis.x(value.p10)).toFixed(1);
    const b = (left + axis.x(value.p90)).toFixed(1);
    const mid = y + height / 2;
    out.push(`<line x1="${a}" y1="${mid}" x2="${b}" y2="${mid}" stroke="#9ca3af"/>`);
  }
  const end = left + Math.max(w, value.p90 === undefined ? 0 : axis.x(value.p90));
  out.push(`<text x="${(end + 4).toFixed(1)}" y="${y + 11}" font-size="11">${esc(label)}</text>`);
  return out;
}

/** The standalone SVG document: a white page, then `layers` in order. */
export function svgDocument(width: number, height: number, layers: readonly string[]): string {
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif">`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    ...layers,
    '</svg>',
    '',
  ].join('\n');
}
