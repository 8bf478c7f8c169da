/**
 * The TSDoc examples of the packages whose every export has one are real
 * code: each is extracted and type-checked against the packages' own types,
 * under the same strict settings as the sources.
 */

import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { ROOT, run } from './workspace.js';

const PACKAGES = ['loop', 'cli', 'backend-epoll', 'backend-iouring', 'backend-linuxaio'];
/** Inside this package, so that `@evring/*` resolve through its node_modules. */
const DIR = new URL('../.examples/', import.meta.url).pathname;

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? sources(join(dir, e.name))
      : e.name.endsWith('.ts')
        ? [join(dir, e.name)]
        : [],
  );
}

it('every @example in loop, cli and the three backends type-checks', () => {
  rmSync(DIR, { recursive: true, force: true });
  mkdirSync(DIR, { recursive: true });
  let count = 0;
  for (const pkg of PACKAGES) {
    for (const file of sources(join(ROOT, 'packages', pkg, 'src'))) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/@example\s*\n\s*\* ```ts\n([\s\S]*?)\n\s*\* ```/g)) {
        const code = m[1]!.replace(/^\s*\* ?/gm, '');
        writeFileSync(join(DIR, `${pkg}-${count++}.ts`), `${code}\nexport {};\n`);
      }
    }
  }
  expect(count).toBeGreaterThan(60);
  writeFileSync(
    join(DIR, 'tsconfig.json'),
    JSON.stringify({
      extends: '../../../tsconfig.base.json',
      compilerOptions: {
        noEmit: true,
        composite: false,
        noUnusedLocals: false,
        lib: ['ES2022', 'ESNext.Disposable'],
      },
      include: ['*.ts'],
    }),
  );
  run(join(ROOT, 'node_modules/.bin/tsc'), ['-p', DIR], { cwd: DIR });
  rmSync(DIR, { recursive: true, force: true });
});
