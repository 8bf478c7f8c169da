/**
 * The shape of the house: dependency-cruiser, with the rules in
 * `dependency-cruiser.cjs`, finds no import circle inside a package and no
 * import up the chain abi → sys → backend → backend-* → loop → cli; the
 * rules are shown to catch both on a fixture that breaks them. And the
 * published type declarations expose no `_`-prefixed member: what the
 * packages keep for themselves stays out of their users' editors.
 */

import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, workspacePackages } from './workspace.js';

const HERE = new URL('..', import.meta.url).pathname;
const CONFIG = join(HERE, 'dependency-cruiser.cjs');
const DEPCRUISE = join(HERE, 'node_modules/.bin/depcruise');

interface Violation {
  rule: { name: string };
  from: string;
  to: string;
  cycle?: { name: string }[];
}

interface CruiseResult {
  summary: { violations: Violation[]; totalCruised: number };
}

/** Cruises `targets` from `cwd` with the repository's rules. */
function cruise(cwd: string, targets: string[]): CruiseResult {
  const r = spawnSync(DEPCRUISE, ['--config', CONFIG, '--output-type', 'json', ...targets], {
    cwd,
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
  if (!r.stdout) throw new Error(`depcruise printed nothing (exit ${r.status}): ${r.stderr}`);
  return JSON.parse(r.stdout) as CruiseResult;
}

function describeViolation(v: Violation): string {
  const via = v.cycle ? ` (circle: ${v.cycle.map((c) => c.name).join(' → ')})` : '';
  return `${v.rule.name}: ${v.from} → ${v.to}${via}`;
}

describe('imports', () => {
  it('no circle inside a package and no import up the chain, in code and tests', () => {
    const packages = readdirSync(join(ROOT, 'packages')).filter((p) => {
      try {
        return readdirSync(join(ROOT, 'packages', p)).includes('src');
      } catch {
        return false;
      }
    });
    const targets = packages.flatMap((p) => [`packages/${p}/src`, `packages/${p}/test`]);
    const result = cruise(ROOT, targets);
    expect(result.summary.totalCruised).toBeGreaterThan(100); // the sources were found
    expect(result.summary.violations.map(describeViolation)).toEqual([]);
  });

  it('the rules catch an upward import and a circle of values, and let a type-only circle be', () => {
    const fixture = join(HERE, 'test/fixtures/imports');
    const found = cruise(fixture, ['packages']).summary.violations.map((v) => v.rule.name);
    expect(found.sort()).toEqual(['abi-not-upward', 'no-circular']);
  });
});

/** A class or interface member declaration; group 1 is its name. */
const MEMBER = /^\s+(?:(?:readonly|static|protected|private|get|set|abstract)\s+)*(_\w*)\s*[(:?<]/;

/** Every `.d.ts` a package publishes (its dist). */
function declarations(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.d.ts'))
    .map((e) => join(e.parentPath, e.name));
}

describe('published declarations', () => {
  it('name no `_`-prefixed member', () => {
    const offenders: string[] = [];
    let files = 0;
    for (const pkg of readdirSync(join(ROOT, 'packages'))) {
      let list: string[];
      try {
        list = declarations(join(ROOT, 'packages', pkg, 'dist'));
      } catch {
        continue; // no dist: nothing published from here
      }
      for (const file of list) {
        files++;
        const lines = readFileSync(file, 'utf8').split('\n');
        lines.forEach((line, i) => {
          // A class or interface member: indented, maybe modified, then `_name`.
          // The kernel's own UAPI names (`__kernel_timespec`) are abi's to keep.
          const member = MEMBER.exec(line);
          if (member && !member[1]!.startsWith('__kernel_'))
            offenders.push(`${file.slice(ROOT.length)}:${i + 1}: ${line.trim()}`);
        });
      }
    }
    expect(files).toBeGreaterThan(20);
    expect(offenders).toEqual([]);
  });
});

/** The bare specifiers (packages) a package's sources import, type-only imports included. */
function importedPackages(src: string): Set<string> {
  const names = new Set<string>();
  const files = readdirSync(src, { withFileTypes: true, recursive: true }).filter(
    (e) => e.isFile() && e.name.endsWith('.ts'),
  );
  for (const e of files) {
    // Without comments: TSDoc examples import the package they document.
    const text = readFileSync(join(e.parentPath, e.name), 'utf8')
      .replace(/\/\*[\s\S]*?\*\//g, '')
      .replace(/\/\/.*$/gm, '');
    for (const m of text.matchAll(/^(?:import|export)\b[^'";]*?from\s+'([^'.][^']*)'/gm)) {
      const spec = m[1]!;
      if (spec.startsWith('node:')) continue;
      const parts = spec.split('/');
      names.add(spec.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]!);
    }
  }
  return names;
}

describe('declared dependencies', () => {
  it('every package its sources import is in its dependencies (a strict install finds nothing else)', () => {
    const missing: string[] = [];
    for (const pkg of workspacePackages()) {
      const src = join(pkg.dir, 'src');
      let imported: Set<string>;
      try {
        imported = importedPackages(src);
      } catch {
        continue; // no sources (a checks-only package)
      }
      const manifest = JSON.parse(readFileSync(join(pkg.dir, 'package.json'), 'utf8')) as {
        peerDependencies?: Record<string, string>;
        optionalDependencies?: Record<string, string>;
      };
      const declared = new Set([
        ...Object.keys(pkg.dependencies),
        ...Object.keys(manifest.peerDependencies ?? {}),
        ...Object.keys(manifest.optionalDependencies ?? {}),
      ]);
      for (const name of imported) {
        if (name !== pkg.name && !declared.has(name)) missing.push(`${pkg.name} imports ${name}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('finds the imports it checks, type-only and re-exports included', () => {
    const sys = importedPackages(join(ROOT, 'packages/backend-iouring/src'));
    expect(sys.has('@evring/sys')).toBe(true);
    expect(sys.has('@evring/abi')).toBe(true);
    expect([...importedPackages(join(ROOT, 'packages/abi/src'))]).toEqual([]);
  });
});
