import type { Io } from '../src/cli/io.js';
import { main } from '../src/cli/main.js';

/** Runs the evring command in-process with its output captured. */
export async function capture(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const io: Io = {
    stdout: (t) => {
      out.push(t);
    },
    stderr: (t) => {
      err.push(t);
    },
    stderrIsTTY: false,
  };
  const code = await main(argv, io);
  return { code, out: out.join(''), err: err.join('') };
}
