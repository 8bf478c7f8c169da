/**
 * Flag parsing for the `evring` command: `--name value`, `--name=value` and
 * boolean `--name`, checked against what each command accepts, by Node's
 * `util.parseArgs`. A bad flag is a {@link UsageError}: the command prints
 * it with the usage and exits 2.
 *
 * @module
 */

import { parseArgs } from 'node:util';

/**
 * A command line the command cannot accept.
 *
 * @example
 * ```ts
 * import { main, UsageError } from '@evring/cli';
 * const err = new UsageError('--n must be positive');
 * console.log(err.code); // 'ERR_EVRING_USAGE': main() prints it with the usage and returns 2
 * console.log(await main(['bench', '--n', '0'])); // 2
 * ```
 */
export class UsageError extends Error {
  readonly code = 'ERR_EVRING_USAGE';
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** Flags a command accepts: booleans take no value, the rest one each. */
export interface FlagSpec {
  booleans: readonly string[];
  values: readonly string[];
}

/** Parsed flags: booleans as true, values as strings. */
export type Flags = Map<string, string | true>;

/**
 * Parses `argv` (after the command name) against `spec`, with Node's own
 * `util.parseArgs` (strict: unknown flags, a value on a boolean, a missing
 * value and stray words are errors), its errors turned into UsageErrors.
 */
export function parseFlags(argv: readonly string[], spec: FlagSpec): Flags {
  const options: Record<string, { type: 'boolean' | 'string' }> = {};
  for (const name of spec.booleans) options[name] = { type: 'boolean' };
  for (const name of spec.values) options[name] = { type: 'string' };
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({ args: [...argv], options, strict: true, allowPositionals: false }));
  } catch (err) {
    throw new UsageError(usageMessage(err as Error & { code?: string }, argv));
  }
  const flags: Flags = new Map();
  for (const [name, value] of Object.entries(values)) {
    if (value === undefined) continue;
    if (value === '') throw new UsageError(`--${name} needs a value`);
    flags.set(name, value === true ? true : String(value));
  }
  return flags;
}

/** parseArgs's error as the command's own words. */
function usageMessage(err: Error & { code?: string }, argv: readonly string[]): string {
  const flag = /'(-{1,2}[^'\s]+)/.exec(err.message)?.[1]?.split('=')[0];
  switch (err.code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return `unknown flag ${flag ?? err.message}`;
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL': {
      const stray = argv.find((a) => !a.startsWith('-') && err.message.includes(`'${a}'`));
      return `unexpected argument '${stray ?? err.message}'`;
    }
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      return err.message.includes('does not take an argument')
        ? `${flag} takes no value`
        : `${flag} needs a value`;
    default:
      return err.message;
  }
}

/** A flag's value as a positive integer. */
export function positiveInt(flags: Flags, name: string, max: number): number | undefined {
  const v = flags.get(name);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (typeof v !== 'string' || !Number.isInteger(n) || n < 1 || n > max) {
    throw new UsageError(`--${name} must be an integer from 1 to ${max} (got '${String(v)}')`);
  }
  return n;
}

/** A flag's value as a comma-separated list of positive integers. */
export function intList(flags: Flags, name: string, max: number): number[] | undefined {
  const v = flags.get(name);
  if (v === undefined) return undefined;
  return String(v)
    .split(',')
    .map((part) => {
      const n = Number(part);
      if (!Number.isInteger(n) || n < 1 || n > max) {
        throw new UsageError(
          `--${name} takes integers from 1 to ${max}, comma-separated (got '${part}')`,
        );
      }
      return n;
    });
}

/** A flag's value as a comma-separated list of allowed words. */
export function wordList<T extends string>(
  flags: Flags,
  name: string,
  allowed: readonly T[],
): T[] | undefined {
  const v = flags.get(name);
  if (v === undefined) return undefined;
  return String(v)
    .split(',')
    .map((part) => {
      if (!(allowed as readonly string[]).includes(part)) {
        throw new UsageError(`--${name} takes ${allowed.join(', ')} (got '${part}')`);
      }
      return part as T;
    });
}
