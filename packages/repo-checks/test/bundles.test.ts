/**
 * The library packages ship each entry point as one ES module
 * (scripts/bundle.mjs): a package's own sources inlined, every other package
 * (the other @evring layers included) left an import, so that each layer
 * stays one module with one copy of its state however it is installed.
 */

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { workspacePackages } from './workspace.js';

/** The packages whose build runs the bundler. */
const bundled = workspacePackages().filter((p) => {
  const manifest = JSON.parse(readFileSync(join(p.dir, 'package.json'), 'utf8'));
  return String(manifest.scripts?.build ?? '').includes('scripts/bundle.mjs');
});

/** The `.js` files of a package's dist. */
const scripts = (dir: string): string[] =>
  readdirSync(join(dir, 'dist')).filter((f) => f.endsWith('.js'));

/** The specifiers a built module imports or re-exports, static and dynamic. */
function specifiers(code: string): string[] {
  const found = [...code.matchAll(/^\s*(?:import|export)\b[^"';]*?from\s*"([^"]+)"/gm)];
  found.push(...code.matchAll(/^\s*import\s*"([^"]+)"/gm));
  found.push(...code.matchAll(/\bimport\(\s*"([^"]+)"\s*\)/g));
  return found.map((m) => m[1]!);
}

describe('bundled packages', () => {
  it('are the seven library layers (the cli stays tsc output: it reads files beside its modules)', () => {
    expect(bundled.map((p) => p.name).sort()).toEqual([
      '@evring/abi',
      '@evring/backend',
      '@evring/backend-epoll',
      '@evring/backend-iouring',
      '@evring/backend-linuxaio',
      '@evring/loop',
      '@evring/sys',
    ]);
  });

  it('ship one module per exported entry point, plus at most the chunk the entry points share', () => {
    for (const pkg of bundled) {
      const manifest = JSON.parse(readFileSync(join(pkg.dir, 'package.json'), 'utf8'));
      const entries = Object.values(manifest.exports as Record<string, { default?: string }>)
        .map((t) => t.default)
        .filter((f): f is string => typeof f === 'string' && f.endsWith('.js'))
        .map((f) => f.replace('./dist/', ''));
      const files = scripts(pkg.dir);
      const shared = files.filter((f) => !entries.includes(f));
      expect(files, pkg.name).toEqual(expect.arrayContaining(entries));
      expect(
        shared.every((f) => /^shared-\w+\.js$/.test(f)),
        `${pkg.name}: ${shared}`,
      ).toBe(true);
      expect(shared.length, pkg.name).toBeLessThanOrEqual(entries.length > 1 ? 1 : 0);
    }
  });

  it('inline only their own sources and import other packages, declared ones, by name', () => {
    const problems: string[] = [];
    for (const pkg of bundled) {
      const manifest = JSON.parse(readFileSync(join(pkg.dir, 'package.json'), 'utf8'));
      const declared = new Set([
        ...Object.keys(manifest.dependencies ?? {}),
        ...Object.keys(manifest.peerDependencies ?? {}),
      ]);
      for (const file of scripts(pkg.dir)) {
        const code = readFileSync(join(pkg.dir, 'dist', file), 'utf8');
        // esbuild heads each inlined module with a comment naming its path.
        for (const m of code.matchAll(/^\/\/ (\S+\.[cm]?[jt]s)$/gm)) {
          if (!m[1]!.startsWith('src/')) problems.push(`${pkg.name} ${file} inlines ${m[1]}`);
        }
        for (const spec of specifiers(code)) {
          if (spec.startsWith('node:')) continue;
          if (spec.startsWith('.')) {
            if (!/^\.\/shared-\w+\.js$/.test(spec)) problems.push(`${pkg.name} ${file} → ${spec}`);
            continue;
          }
          const parts = spec.split('/');
          const name = spec.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]!;
          if (!declared.has(name)) problems.push(`${pkg.name} ${file} imports undeclared ${spec}`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('find what they check: loop imports the layers below it by name, and its own modules are inlined', () => {
    const loop = bundled.find((p) => p.name === '@evring/loop')!;
    const code = readFileSync(join(loop.dir, 'dist/index.js'), 'utf8');
    expect(specifiers(code)).toEqual(
      expect.arrayContaining(['@evring/sys', '@evring/backend', '@evring/abi']),
    );
    expect(code).toMatch(/^\/\/ src\/loop\.ts$/m);
    expect(code).toMatch(/^\/\/ src\/watchers\/io\.ts$/m);
  });
});
