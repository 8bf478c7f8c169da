/**
 * The TSDoc examples of every package are real code: each is extracted and
 * type-checked against the packages' own types, under the same strict
 * settings as the sources.
 */

import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { examplesOf, writeExamples } from './examples.js';
import { ROOT, run } from './workspace.js';

const PACKAGES = [
  'abi',
  'sys',
  'backend',
  'backend-epoll',
  'backend-iouring',
  'backend-linuxaio',
  'loop',
  'cli',
];
/** Inside this package, so that `@evring/*` resolve through its node_modules. */
const DIR = new URL('../.examples/', import.meta.url).pathname;

it('every @example of every package type-checks', () => {
  const examples = PACKAGES.flatMap((pkg) => examplesOf(pkg));
  for (const pkg of PACKAGES) {
    expect(examples.filter((e) => e.pkg === pkg).length, pkg).toBeGreaterThan(0);
  }
  expect(examples.length).toBeGreaterThan(300);
  writeExamples(DIR, examples);
  writeFileSync(
    join(DIR, 'tsconfig.json'),
    JSON.stringify({
      extends: '../../../tsconfig.base.json',
      compilerOptions: {
        noEmit: true,
        composite: false,
        noUnusedLocals: false,
        lib: ['ES2022', 'ESNext.Disposable'],
        types: ['node'],
      },
      include: ['*.ts'],
    }),
  );
  run(join(ROOT, 'node_modules/.bin/tsc'), ['-p', DIR], { cwd: DIR });
  rmSync(DIR, { recursive: true, force: true });
});
