import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { intList, parseFlags, positiveInt, UsageError, wordList } from '../src/cli/args.js';
import { EXIT } from '../src/cli/main.js';
import { capture } from './capture.js';

const spec = { booleans: ['quick'], values: ['n', 'kind'] };

describe('flag parsing', () => {
  it('takes --name value, --name=value and booleans', () => {
    const f = parseFlags(['--n', '5', '--kind=pipe', '--quick'], spec);
    expect(f.get('n')).toBe('5');
    expect(f.get('kind')).toBe('pipe');
    expect(f.get('quick')).toBe(true);
  });

  it.each([
    [['--bogus'], /unknown flag --bogus/],
    [['--n'], /--n needs a value/],
    [['--n='], /--n needs a value/],
    [['--quick=1'], /--quick takes no value/],
    [['stray'], /unexpected argument 'stray'/],
  ])('refuses %j with a UsageError', (argv, message) => {
    expect(() => parseFlags(argv, spec)).toThrow(message);
    try {
      parseFlags(argv, spec);
    } catch (e) {
      expect(e).toBeInstanceOf(UsageError);
      expect((e as UsageError).code).toBe('ERR_EVRING_USAGE');
    }
  });

  it('checks numbers and word lists', () => {
    const f = parseFlags(['--n', '0', '--kind', 'pipe,tcp'], spec);
    expect(() => positiveInt(f, 'n', 10)).toThrow(
      /--n must be an integer from 1 to 10 \(got '0'\)/,
    );
    expect(() => intList(parseFlags(['--n', '1,x'], spec), 'n', 10)).toThrow(/got 'x'/);
    expect(() => wordList(f, 'kind', ['pipe', 'socketpair'])).toThrow(
      /takes pipe, socketpair \(got 'tcp'\)/,
    );
    expect(intList(parseFlags(['--n', '1,2,3'], spec), 'n', 10)).toEqual([1, 2, 3]);
    expect(positiveInt(f, 'missing', 10)).toBeUndefined();
  });
});

describe('the evring command', () => {
  it('prints usage and exits 2 without a command, or with an unknown one', async () => {
    const none = await capture([]);
    expect(none.code).toBe(EXIT.usage);
    expect(none.err).toMatch(/usage: evring <command>/);
    const bad = await capture(['frobnicate']);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/unknown command 'frobnicate'/);
  });

  it('exits 2 on a bad bench flag and shows the bench usage', async () => {
    for (const argv of [
      ['bench', '--n', '0'],
      ['bench', '--kind', 'tcp'],
      ['bench', '--mode', 'x'],
      ['bench', '--nope'],
    ]) {
      const r = await capture(argv);
      expect(r.code, argv.join(' ')).toBe(2);
      expect(r.err).toMatch(/usage: evring bench/);
      expect(r.out).toBe('');
    }
    expect((await capture(['doctor', '--verbose'])).code).toBe(2);
  });

  it('answers help and --version', async () => {
    expect((await capture(['help'])).out).toMatch(/doctor .* bench/s);
    expect((await capture(['bench', '--help'])).out).toMatch(/--quick/);
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
    const v = await capture(['--version']);
    expect(v.code).toBe(0);
    expect(v.out.trim()).toBe(pkg.version);
  });
});
