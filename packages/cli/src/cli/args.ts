/**
 * Flag parsing for the `evring` command: `--name value`, `--name=value` and
 * boolean `--name`, checked against what each command accepts. A bad flag
 * is a {@link UsageError}: the command prints it with the usage and exits 2.
 *
 * @module
 */

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

/** Parses `argv` (after the command name) against `spec`. */
export function parseFlags(argv: readonly string[], spec: FlagSpec): Flags {
  const flags: Flags = new Map();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('--')) throw new UsageError(`unexpected argument '${arg}'`);
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq < 0 ? undefined : eq);
    if (spec.booleans.includes(name)) {
      if (eq >= 0) throw new UsageError(`--${name} takes no value`);
      flags.set(name, true);
    } else if (spec.values.includes(name)) {
      const value = eq >= 0 ? arg.slice(eq + 1) : argv[++i];
      if (value === undefined || value === '') throw new UsageError(`--${name} needs a value`);
      flags.set(name, value);
    } else {
      throw new UsageError(`unknown flag --${name}`);
    }
  }
  return flags;
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
