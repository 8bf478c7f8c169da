/**
 * Documentation: the typedoc site builds for every package plus the guides
 * in docs/, with typedoc's own validation as errors; every link inside the
 * site resolves to a file and, with a #fragment, to an anchor in it; and
 * every export of every package carries a TSDoc example.
 */

import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

/** Every package: each of its exports must show an example. */
const EXAMPLES_REQUIRED = [
  '@evring/abi',
  '@evring/sys',
  '@evring/backend',
  '@evring/backend-epoll',
  '@evring/backend-iouring',
  '@evring/backend-linuxaio',
  '@evring/loop',
  '@evring/cli',
];

interface Reflection {
  name: string;
  kind: number;
  children?: Reflection[];
  comment?: { blockTags?: Array<{ tag: string }> };
  signatures?: Array<{ comment?: { blockTags?: Array<{ tag: string }> } }>;
}

/** typedoc's ReflectionKind.Module: a sub-path export such as `@evring/backend/testing`. */
const MODULE = 2;

/** The exports of a package, those of its sub-path modules included, as `module/name`. */
function exportsOf(mod: Reflection, prefix = ''): Array<[string, Reflection]> {
  return (mod.children ?? []).flatMap(
    (c): Array<[string, Reflection]> =>
      c.kind === MODULE ? exportsOf(c, `${prefix}${c.name}/`) : [[`${prefix}${c.name}`, c]],
  );
}

describe('TSDoc examples', () => {
  it.each(EXAMPLES_REQUIRED)('every export of %s has an @example', (pkg) => {
    const project = JSON.parse(readFileSync(join(out, 'site.json'), 'utf8')) as Reflection;
    const mod = project.children!.find((c) => c.name === pkg)!;
    expect(mod, pkg).toBeDefined();
    const all = exportsOf(mod);
    expect(all.length).toBeGreaterThan(0);
    const missing = all.filter(([, c]) => {
      const comment = c.comment ?? c.signatures?.[0]?.comment;
      return !comment?.blockTags?.some((t) => t.tag === '@example');
    });
    expect(missing.map(([name]) => name)).toEqual([]);
  });

  it('sees the sub-path exports (@evring/backend/testing)', () => {
    const project = JSON.parse(readFileSync(join(out, 'site.json'), 'utf8')) as Reflection;
    const backend = project.children!.find((c) => c.name === '@evring/backend')!;
    const names = exportsOf(backend).map(([name]) => name);
    expect(names).toContain('testing/describeConformance');
    expect(names).toContain('index/Poller');
  });
});
