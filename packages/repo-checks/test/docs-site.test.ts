/**
 * Documentation: the typedoc site builds for every package plus the guides
 * in docs/, with typedoc's own validation as errors; every link inside the
 * site resolves to a file and, with a #fragment, to an anchor in it; every
 * function, class, interface and type carries a TSDoc example; every
 * constant a one-line description, and every family of constants (a section
 * of a constants file) one example; and no example imports a package above
 * its own in the chain.
 */

import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { examplesOf } from './examples.js';
import { ROOT, run } from './workspace.js';

let out = '';
let site = '';

/** Every file under `dir`. */
function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)],
  );
}

const anchorCache = new Map<string, Set<string>>();
function anchors(file: string): Set<string> {
  let set = anchorCache.get(file);
  if (!set) {
    set = new Set(
      [...readFileSync(file, 'utf8').matchAll(/\s(?:id|name)="([^"]+)"/g)].map((m) => m[1]!),
    );
    anchorCache.set(file, set);
  }
  return set;
}

beforeAll(() => {
  out = mkdtempSync(join(tmpdir(), 'evring-docs-'));
  site = join(out, 'site');
  run(join(ROOT, 'node_modules/.bin/typedoc'), ['--out', site, '--json', join(out, 'site.json')], {
    cwd: ROOT,
  });
});
afterAll(() => {
  if (out) rmSync(out, { recursive: true, force: true });
});

describe('the documentation site', () => {
  it('has a page for every package and every guide in docs/', () => {
    const pages = walk(site).map((f) => relative(site, f));
    for (const pkg of [
      'abi',
      'sys',
      'backend',
      'backend-epoll',
      'backend-linuxaio',
      'backend-iouring',
      'loop',
      'cli',
    ]) {
      expect(pages, pkg).toContain(`modules/_evring_${pkg}.html`);
    }
    const guides = readdirSync(join(ROOT, 'docs')).filter((f) => f.endsWith('.md'));
    expect(guides.length).toBeGreaterThanOrEqual(7);
    const html = walk(site)
      .filter((f) => f.endsWith('.html'))
      .map((f) => readFileSync(f, 'utf8'))
      .join('\n');
    for (const g of guides) {
      const title = /^title: (.+)$/m.exec(readFileSync(join(ROOT, 'docs', g), 'utf8'))?.[1];
      expect(title, `${g} has a title`).toBeDefined();
      expect(html, `${g} is in the site`).toContain(title!);
    }
  });

  it('has no link inside it that leads nowhere', () => {
    const broken: string[] = [];
    let checked = 0;
    for (const file of walk(site).filter((f) => f.endsWith('.html'))) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/\s(?:href|src)="([^"]+)"/g)) {
        const link = m[1]!;
        if (/^(?:[a-z]+:|\/\/)/i.test(link)) continue; // external: http(s), mailto, data
        const [path, fragment] = link.split('#') as [string, string | undefined];
        const target = path === '' ? file : join(dirname(file), decodeURIComponent(path));
        checked++;
        if (!existsSync(target)) broken.push(`${relative(site, file)} → ${link} (no file)`);
        else if (
          fragment &&
          target.endsWith('.html') &&
          !anchors(target).has(decodeURIComponent(fragment))
        ) {
          broken.push(`${relative(site, file)} → ${link} (no anchor)`);
        }
      }
    }
    expect(checked).toBeGreaterThan(1000);
    expect(broken).toEqual([]);
  });
});

/** Every package: the exports that must show an example, and the constants that must say what they are. */
const DOCUMENTED = [
  '@evring/abi',
  '@evring/sys',
  '@evring/backend',
  '@evring/backend-epoll',
  '@evring/backend-iouring',
  '@evring/backend-linuxaio',
  '@evring/loop',
  '@evring/cli',
];

interface Comment {
  summary?: Array<{ text: string }>;
  blockTags?: Array<{ tag: string }>;
}

interface Reflection {
  name: string;
  kind: number;
  type?: { type: string; name?: string };
  children?: Reflection[];
  comment?: Comment;
  signatures?: Array<{ comment?: Comment }>;
}

/** typedoc's ReflectionKind.Module: a sub-path export such as `@evring/backend/testing`. */
const MODULE = 2;
/** typedoc's ReflectionKind.Variable. */
const VARIABLE = 32;

/** The exports of a package, those of its sub-path modules included, as `module/name`. */
function exportsOf(mod: Reflection, prefix = ''): Array<[string, Reflection]> {
  return (mod.children ?? []).flatMap(
    (c): Array<[string, Reflection]> =>
      c.kind === MODULE ? exportsOf(c, `${prefix}${c.name}/`) : [[`${prefix}${c.name}`, c]],
  );
}

/** A constant: a variable whose type is a literal (a kernel number, a flag). */
const isConstant = (r: Reflection) =>
  r.kind === VARIABLE &&
  (r.type?.type === 'literal' || (r.type?.type === 'intrinsic' && r.type.name === 'number'));
const commentOf = (r: Reflection) => r.comment ?? r.signatures?.[0]?.comment;

function project(): Reflection {
  return JSON.parse(readFileSync(join(out, 'site.json'), 'utf8')) as Reflection;
}

describe('TSDoc', () => {
  it.each(DOCUMENTED)('every function, class, interface and type of %s has an @example', (pkg) => {
    const mod = project().children!.find((c) => c.name === pkg)!;
    expect(mod, pkg).toBeDefined();
    const all = exportsOf(mod).filter(([, r]) => !isConstant(r));
    expect(all.length).toBeGreaterThan(0);
    const missing = all.filter(
      ([, r]) => !commentOf(r)?.blockTags?.some((t) => t.tag === '@example'),
    );
    expect(missing.map(([name]) => name)).toEqual([]);
  });

  it.each(DOCUMENTED)('every constant of %s says what it is', (pkg) => {
    const mod = project().children!.find((c) => c.name === pkg)!;
    const silent = exportsOf(mod).filter(
      ([, r]) => isConstant(r) && !commentOf(r)?.summary?.some((part) => part.text.trim() !== ''),
    );
    expect(silent.map(([name]) => name)).toEqual([]);
  });

  it('every family of constants (a section of a constants file) shows exactly one example', () => {
    const files = [
      'abi/src/io-uring/constants.ts',
      'abi/src/fd-constants.ts',
      'abi/src/epoll/constants.ts',
      'abi/src/aio/constants.ts',
      'abi/src/poll.ts',
    ];
    const wrong: string[] = [];
    let families = 0;
    let lines = 0;
    for (const file of files) {
      const text = readFileSync(join(ROOT, 'packages', file), 'utf8');
      if (!file.startsWith('abi/src/aio/') && !file.endsWith('poll.ts')) {
        lines += text.split('\n').length;
      }
      const sections = text.split(/\/\/ -{20,}\n\/\/ (.+)\n\/\/ -{20,}\n/);
      // [before, title, body, title, body, ...]
      for (let i = 1; i < sections.length; i += 2) {
        families++;
        const examples = sections[i + 1]!.split('@example').length - 1;
        if (examples !== 1) wrong.push(`${file}: "${sections[i]}" has ${examples} examples`);
      }
    }
    expect(families).toBeGreaterThan(20);
    expect(wrong).toEqual([]);
    // abi's io_uring, fd and epoll constants together stay readable: a line or two each.
    expect(lines).toBeLessThanOrEqual(1000);
  });

  it('sees the sub-path exports (@evring/backend/testing)', () => {
    const backend = project().children!.find((c) => c.name === '@evring/backend')!;
    const names = exportsOf(backend).map(([name]) => name);
    expect(names).toContain('testing/describeConformance');
    expect(names).toContain('index/Poller');
  });
});

/** The dependency chain, bottom up: an example may import its own package and those below. */
const RANK: Record<string, number> = {
  abi: 0,
  sys: 1,
  backend: 2,
  'backend-epoll': 3,
  'backend-linuxaio': 4,
  'backend-iouring': 4,
  loop: 5,
  cli: 6,
};

describe('examples point down the chain, as the code does', () => {
  it.each(Object.keys(RANK))('the examples of @evring/%s import nothing above it', (pkg) => {
    const wrong: string[] = [];
    for (const e of examplesOf(pkg)) {
      for (const m of e.code.matchAll(/from '@evring\/([a-z-]+)/g)) {
        const dep = m[1]!;
        if (dep !== pkg && !(RANK[dep]! < RANK[pkg]!))
          wrong.push(`${e.where} imports @evring/${dep}`);
      }
    }
    expect(wrong).toEqual([]);
  });
});
