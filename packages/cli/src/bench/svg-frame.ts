/**
 * What the benchmarks' SVG charts share: a logarithmic axis over decades,
 * its grid and labels, escaping, and the document around the drawing.
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
