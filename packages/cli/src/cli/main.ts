/**
 * The `evring` command: dispatch to `doctor` or `bench`, usage on request,
 * and exit codes — 0 done, 1 something failed, 2 the command line is wrong.
 *
 * @module
 */

import { readFileSync } from 'node:fs';
import { runDoctor } from '../doctor/doctor.js';
import { formatDoctor } from '../doctor/format.js';
import { parseFlags, UsageError } from './args.js';
import { BENCH_USAGE, benchCommand } from './bench-command.js';
import { FILES_USAGE, filesCommand } from './files-command.js';
import { type Io, processIo } from './io.js';

/**
 * Exit codes.
 *
 * @example
 * ```ts
 * import { EXIT, main } from '@evring/cli';
 * const code = await main(['bench', '--kind', 'tcp']);
 * console.log(code === EXIT.usage); // true
 * ```
 */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

const USAGE = `usage: evring <command> [flags]

commands:
  doctor [--json]   what this kernel offers each backend, which one auto picks and why
  bench [flags]     the pipe benchmark beside libev, libuv and the epoll package
                    (evring bench --help for its flags)
  bench files [flags]
                    file reads and writes beside Node's fs and liburing in C
                    (evring bench files --help for its flags)
  help              this text
  --version         the version of @evring/cli`;

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
  return String(pkg.version);
}

/**
 * Runs the command line `argv` (without node and the script); resolves to the exit code.
 *
 * @example
 * ```ts
 * import { main } from '@evring/cli';
 * process.exitCode = await main(['doctor']); // what `evring doctor` does
 * ```
 */
export async function main(argv: readonly string[], io: Io = processIo): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'doctor': {
        const flags = parseFlags(rest, { booleans: ['json', 'help'], values: [] });
        if (flags.has('help')) {
          io.stdout('usage: evring doctor [--json]\n');
          return EXIT.ok;
        }
        const report = runDoctor();
        io.stdout(
          `${flags.has('json') ? JSON.stringify(report, null, 2) : formatDoctor(report)}\n`,
        );
        return EXIT.ok;
      }
      case 'bench':
        if (rest[0] === 'files') {
          if (rest.includes('--help')) {
            io.stdout(`${FILES_USAGE}\n`);
            return EXIT.ok;
          }
          return await filesCommand(rest.slice(1), io);
        }
        if (rest.includes('--help')) {
          io.stdout(`${BENCH_USAGE}\n`);
          return EXIT.ok;
        }
        return await benchCommand(rest, io);
      case 'help':
      case '--help':
      case '-h':
        io.stdout(`${USAGE}\n`);
        return EXIT.ok;
      case '--version':
        io.stdout(`${version()}\n`);
        return EXIT.ok;
      case undefined:
        io.stderr(`${USAGE}\n`);
        return EXIT.usage;
      default:
        throw new UsageError(`unknown command '${command}'`);
    }
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr(
        `evring: ${err.message}\n${command === 'bench' ? (rest[0] === 'files' ? FILES_USAGE : BENCH_USAGE) : USAGE}\n`,
      );
      return EXIT.usage;
    }
    const e = err as { code?: string; message?: string };
    io.stderr(`evring: ${e.code ? `${e.code}: ` : ''}${e.message ?? String(err)}\n`);
    return EXIT.failed;
  }
}
