/**
 * The TSDoc examples of the packages' sources: found, cut out of their
 * comments, and written out as modules a compiler or a test can load.
 */

import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ROOT } from './workspace.js';

/** One `@example` block: where it is and its code. */
export interface Example {
  pkg: string;
  /** `packages/<pkg>/src/...:<line>` of the opening fence. */
  where: string;
  code: string;
}

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? sources(join(dir, e.name))
      : e.name.endsWith('.ts')
        ? [join(dir, e.name)]
        : [],
  );
}

/** Every ```ts block after an `@example` tag in `packages/<pkg>/src`. */
export function examplesOf(pkg: string, files?: (path: string) => boolean): Example[] {
  const out: Example[] = [];
  for (const file of sources(join(ROOT, 'packages', pkg, 'src'))) {
    if (files && !files(file)) continue;
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/@example\s*\n\s*\* ```ts\n([\s\S]*?)\n\s*\* ```/g)) {
      const line = text.slice(0, m.index).split('\n').length + 1;
      out.push({
        pkg,
        where: `${relative(ROOT, file)}:${line}`,
        code: m[1]!.replace(/^\s*\* ?/gm, ''),
      });
    }
  }
  return out;
}

/** Empties `dir` and writes each example into it as `<pkg>-<n>.ts`; returns the paths. */
export function writeExamples(dir: string, examples: Example[], wrap = (e: Example) => e.code) {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  return examples.map((e, i) => {
    const path = join(dir, `${e.pkg}-${i}.ts`);
    writeFileSync(path, `// ${e.where}\n${wrap(e)}\nexport {};\n`);
    return path;
  });
}
