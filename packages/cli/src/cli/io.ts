/**
 * Where the command writes: the process's streams in real use, buffers in
 * tests.
 *
 * @module
 */

/**
 * Output sinks of a command run.
 *
 * @example
 * ```ts
 * import { type Io, main } from '@evring/cli';
 * let out = '';
 * const io: Io = { stdout: (t) => { out += t; }, stderr: () => {}, stderrIsTTY: false };
 * await main(['doctor', '--json'], io);
 * console.log(JSON.parse(out).auto);
 * ```
 */
export interface Io {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Progress redraws a line in place only on a terminal. */
  stderrIsTTY: boolean;
}

/** The process's own streams. */
export const processIo: Io = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  stderrIsTTY: process.stderr.isTTY === true,
};
