/**
 * Releases: `changeset version` bumps each package on its own, and a
 * package whose internal dependency moves out of its range gets a patch
 * bump and a changelog line — checked on a copy of the workspace's
 * manifests with changesets made for the test.
 */

import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, run, workspacePackages } from './workspace.js';

let copy = '';
const before = new Map(workspacePackages().map((p) => [p.name, p]));
const after = new Map<string, ReturnType<typeof workspacePackages>[number]>();

/** 0.1.0 → patch 0.1.1, minor 0.2.0. */
function bump(version: string, kind: 'patch' | 'minor'): string {
  const [major, minor, patch] = version.split('.').map(Number) as [number, number, number];
  return kind === 'minor' ? `${major}.${minor + 1}.0` : `${major}.${minor}.${patch + 1}`;
}

beforeAll(() => {
  copy = mkdtempSync(join(tmpdir(), 'evring-version-'));
  for (const f of ['package.json', 'pnpm-workspace.yaml', '.changeset/config.json']) {
    mkdirSync(join(copy, f, '..'), { recursive: true });
    cpSync(join(ROOT, f), join(copy, f));
  }
  for (const p of before.values()) {
    const rel = p.dir.slice(ROOT.length);
    mkdirSync(join(copy, rel), { recursive: true });
    cpSync(join(p.dir, 'package.json'), join(copy, rel, 'package.json'));
  }
  // The pending changesets are replaced by two of the test's own.
  writeFileSync(
    join(copy, '.changeset/sys-feature.md'),
    '---\n"@evring/sys": minor\n---\nA new syscall.\n',
  );
  writeFileSync(
    join(copy, '.changeset/abi-fix.md'),
    '---\n"@evring/abi": patch\n---\nA constant fixed.\n',
  );
  run(process.execPath, [join(ROOT, 'node_modules/@changesets/cli/bin.js'), 'version'], {
    cwd: copy,
  });
  for (const p of workspacePackages(copy)) after.set(p.name, p);
});
afterAll(() => {
  if (copy) rmSync(copy, { recursive: true, force: true });
});

describe('pnpm changeset version', () => {
  it('bumps each package by its own changesets: sys minor, abi patch', () => {
    expect(after.get('@evring/sys')!.version).toBe(
      bump(before.get('@evring/sys')!.version, 'minor'),
    );
    expect(after.get('@evring/abi')!.version).toBe(
      bump(before.get('@evring/abi')!.version, 'patch'),
    );
  });

  it('gives a patch bump to exactly the packages whose range the new sys leaves, and leaves the rest alone', () => {
    for (const [name, was] of before) {
      if (name === '@evring/sys' || name === '@evring/abi') continue;
      const onSys = was.dependencies['@evring/sys'] !== undefined;
      const expected = onSys ? bump(was.version, 'patch') : was.version;
      expect(after.get(name)!.version, name).toBe(expected);
    }
  });

  it('keeps internal ranges as workspace:^, so that pnpm pack writes ^<new version> (see pack-install)', () => {
    for (const p of after.values()) {
      for (const [dep, range] of Object.entries(p.dependencies)) {
        if (dep.startsWith('@evring/')) expect(range, `${p.name} → ${dep}`).toBe('workspace:^');
      }
    }
  });

  it('writes each bumped package a changelog naming the change or the dependency that moved', () => {
    const changelog = (name: string): string =>
      readFileSync(join(copy, after.get(name)!.dir.slice(copy.length), 'CHANGELOG.md'), 'utf8');
    expect(changelog('@evring/sys')).toMatch(
      /## 0\.\d+\.0\s+### Minor Changes\s+- A new syscall\./,
    );
    expect(changelog('@evring/abi')).toMatch(/### Patch Changes\s+- A constant fixed\./);
    expect(changelog('@evring/backend')).toContain(
      `@evring/sys@${after.get('@evring/sys')!.version}`,
    );
  });
});
