#!/usr/bin/env node
// A package's prepack step: copies guides from the repository's docs/ into
// the package's own docs/ so that the tarball carries them, and its README's
// absolute links (https://unpkg.com/@evring/<package>/docs/<file>, served
// from the published tarball) work from the npm page. `--clean` (postpack)
// removes the copies again.
import { copyFileSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const dest = join(process.cwd(), 'docs');
const args = process.argv.slice(2);
rmSync(dest, { recursive: true, force: true });
if (!args.includes('--clean')) {
  mkdirSync(dest);
  for (const doc of args) copyFileSync(join(root, 'docs', doc), join(dest, doc));
}
