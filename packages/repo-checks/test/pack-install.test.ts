/**
 * Releases: `pnpm -r pack` gives installable tarballs, and subsets of the
 * layers install from them alone into a project outside the workspace —
 * the addon from the sys tarball's prebuilt binary with no compiler on the
 * PATH, or compiled from its source when asked — and work there.
 */

import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pathWithoutCompilers, ROOT, run, userEnv, workspacePackages } from './workspace.js';

const published = workspacePackages().filter((p) => !p.private);
const byName = new Map(published.map((p) => [p.name, p]));
let scratch = '';
let packs = '';

/** The tarball of a package, as pnpm names it. */
const tarball = (name: string): string =>
  join(packs, `${name.replace('@', '').replace('/', '-')}-${byName.get(name)!.version}.tgz`);

/** A package and the @evring packages it needs, transitively. */
function closure(name: string, seen = new Set<string>()): Set<string> {
  seen.add(name);
  for (const dep of Object.keys(byName.get(name)!.dependencies)) {
    if (dep.startsWith('@evring/') && !seen.has(dep)) closure(dep, seen);
  }
  return seen;
}

/** A fresh npm project outside the workspace with exactly these tarballs installed. */
function project(label: string, names: Iterable<string>, env: NodeJS.ProcessEnv = {}): string {
  const dir = join(scratch, label);
  mkdirSync(dir);
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify({ name: `scratch-${label}`, private: true, type: 'module' }),
  );
  run(
    'npm',
    [
      'install',
      '--no-audit',
      '--no-fund',
      '--prefer-offline',
      '--loglevel=error',
      ...[...names].map(tarball),
    ],
    { cwd: dir, env: userEnv(env) },
  );
  return dir;
}

const evringInstalled = (dir: string): string[] =>
  readdirSync(join(dir, 'node_modules', '@evring')).sort();

beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'evring-release-'));
  packs = join(scratch, 'packs');
  run('pnpm', ['-s', 'tarballs', packs], { cwd: ROOT });
});
afterAll(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

describe('pnpm tarballs', () => {
  it('gives a tarball per public package and none for the private ones', () => {
    const names = published.map((p) => tarball(p.name).slice(packs.length + 1)).sort();
    expect(readdirSync(packs).sort()).toEqual(names);
  });

  it('gives a tarball per published package, with workspace ranges made real', () => {
    for (const p of published) {
      expect(existsSync(tarball(p.name)), p.name).toBe(true);
      const manifest = JSON.parse(run('tar', ['-xOzf', tarball(p.name), 'package/package.json']));
      for (const [dep, range] of Object.entries(manifest.dependencies ?? {}) as Array<
        [string, string]
      >) {
        expect(range, `${p.name} → ${dep}`).not.toMatch(/^workspace:/);
        if (dep.startsWith('@evring/')) expect(range).toBe(`^${byName.get(dep)!.version}`);
      }
    }
  });

  it('ships the addon as source to build and as a prebuilt binary for this machine, stripped', () => {
    const files = run('tar', ['-tzf', tarball('@evring/sys')]).split('\n');
    expect(files).toContain('package/binding.gyp');
    expect(files).toContain('package/scripts/build-native.mjs');
    expect(files.some((f) => f.startsWith('package/native/') && f.endsWith('.cc'))).toBe(true);
    const prebuilt = `package/prebuilds/${process.platform}-${process.arch}/evring_sys.napi.glibc.node`;
    expect(files.filter((f) => f.endsWith('.node'))).toEqual([prebuilt]);
    const sys = byName.get('@evring/sys')!;
    // The workspace keeps loading its own build: packing leaves no prebuilds behind.
    expect(existsSync(join(sys.dir, 'prebuilds'))).toBe(false);
    run('tar', ['-xzf', tarball('@evring/sys'), '-C', scratch, prebuilt]);
    const elf = readFileSync(join(scratch, prebuilt));
    expect(elf.subarray(0, 4).toString('latin1')).toBe('\x7fELF');
    // Stripped: the dynamic symbols Node needs stay, the symbol table goes.
    expect(elf.includes('.dynsym')).toBe(true);
    expect(elf.includes('.symtab')).toBe(false);
  });
});

describe('installing subsets outside the workspace', () => {
  it('@evring/abi alone: pure TypeScript, nothing else comes with it', () => {
    const dir = project('abi-only', ['@evring/abi']);
    expect(evringInstalled(dir)).toEqual(['abi']);
    writeFileSync(
      join(dir, 'use.js'),
      `import { layouts, IORING_OP_POLL_ADD } from '@evring/abi';
       console.log(JSON.stringify({ size: layouts.io_uring_sqe.size, op: IORING_OP_POLL_ADD }));`,
    );
    expect(JSON.parse(run(process.execPath, ['use.js'], { cwd: dir }))).toEqual({
      size: 64,
      op: 6,
    });
  });

  it('@evring/sys with no compiler on the PATH: the prebuilt binary installs and works', () => {
    const bin = pathWithoutCompilers(join(scratch, 'no-compiler-bin'));
    const noCompiler = { PATH: bin };
    expect(
      spawnSync('sh', ['-c', 'command -v g++ || command -v cc || command -v make'], {
        env: userEnv(noCompiler),
      }).status,
    ).not.toBe(0);
    const dir = project('sys-prebuilt', closure('@evring/sys'), noCompiler);
    expect(existsSync(join(dir, 'node_modules/@evring/sys/build'))).toBe(false);
    writeFileSync(
      join(dir, 'use.js'),
      `import * as sys from '@evring/sys';
       const fd = sys.eventfd(0, 0);
       sys.close(fd);
       console.log(JSON.stringify({ fd: fd > 2 }));`,
    );
    expect(
      JSON.parse(run(process.execPath, ['use.js'], { cwd: dir, env: userEnv(noCompiler) })),
    ).toEqual({ fd: true });
  });

  it('@evring/backend-epoll with its dependencies, built from source (npm --build-from-source): polls a pipe', () => {
    const dir = project('backend-epoll', closure('@evring/backend-epoll'), {
      npm_config_build_from_source: 'true',
    });
    expect(evringInstalled(dir)).toEqual(['abi', 'backend', 'backend-epoll', 'sys']);
    expect(existsSync(join(dir, 'node_modules/@evring/sys/build/Release/evring_sys.node'))).toBe(
      true,
    );
    writeFileSync(
      join(dir, 'use.js'),
      `import { O_NONBLOCK } from '@evring/abi';
       import { Poller, READ } from '@evring/backend';
       import { epollBackend } from '@evring/backend-epoll';
       import * as sys from '@evring/sys';
       const [r, w] = sys.pipe2(O_NONBLOCK);
       const seen = [];
       const poller = new Poller(epollBackend, (fd, ev) => seen.push([fd === r, ev]));
       poller.set(r, READ);
       sys.write(w, Buffer.from('x'));
       poller.poll(1000);
       poller.destroy();
       console.log(JSON.stringify({ backend: poller.backend.name, seen }));`,
    );
    expect(JSON.parse(run(process.execPath, ['use.js'], { cwd: dir }))).toEqual({
      backend: 'epoll',
      seen: [[true, 1]],
    });
  });

  it('@evring/loop with its dependencies: an attached loop runs a timer and an io watcher, then the process exits', () => {
    const dir = project('loop', closure('@evring/loop'));
    expect(evringInstalled(dir)).toEqual([
      'abi',
      'backend',
      'backend-epoll',
      'backend-iouring',
      'backend-linuxaio',
      'loop',
      'sys',
    ]);
    writeFileSync(
      join(dir, 'use.js'),
      `import { Loop, READ } from '@evring/loop';
       import * as sys from '@evring/sys';
       const out = [];
       for (const backend of ['epoll', 'linuxaio', 'iouring']) {
         const loop = new Loop({ backend, fallback: false });
         const [r, w] = sys.pipe2(0o4000);
         const io = loop.io(r, READ, (watcher) => {
           out.push(backend + ':read ' + sys.read(r, Buffer.alloc(8)));
           watcher.stop();
           sys.close(r);
           sys.close(w);
         }).start();
         loop.timer(0.01, 0, () => sys.write(w, Buffer.from('hi'))).start();
       }
       process.on('exit', () => console.log(JSON.stringify(out.sort())));`,
    );
    expect(JSON.parse(run(process.execPath, ['use.js'], { cwd: dir, timeout: 20_000 }))).toEqual([
      'epoll:read 2',
      'iouring:read 2',
      'linuxaio:read 2',
    ]);
  });
});

describe('the tarballs carry what the docs say', () => {
  it('every source map names sources the tarball carries', () => {
    for (const p of published) {
      const files = new Set(run('tar', ['-tzf', tarball(p.name)]).split('\n'));
      const maps = [...files].filter((f) => f.endsWith('.map'));
      expect(maps.length, p.name).toBeGreaterThan(0);
      for (const map of maps) {
        const { sources } = JSON.parse(run('tar', ['-xOzf', tarball(p.name), map])) as {
          sources: string[];
        };
        for (const source of sources) {
          const at = join(map, '..', source);
          expect(files.has(at), `${p.name}: ${map} → ${source}`).toBe(true);
        }
      }
    }
  });

  it("README links work from the npm page: absolute, and evring's own point into a tarball", () => {
    for (const p of published) {
      const readme = run('tar', ['-xOzf', tarball(p.name), 'package/README.md']);
      const links = [...readme.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]!);
      for (const link of links) {
        expect(link, `${p.name}: ${link}`).toMatch(/^(https?:\/\/|#)/);
        const own = /^https:\/\/unpkg\.com\/(@evring\/[a-z-]+)\/(.+)$/.exec(link);
        if (own) {
          const files = run('tar', ['-tzf', tarball(own[1]!)]).split('\n');
          expect(files, `${p.name}: ${link}`).toContain(`package/${own[2]}`);
        }
      }
    }
  });

  it('every published package has a README and its dist', () => {
    for (const p of published) {
      const files = run('tar', ['-tzf', tarball(p.name)]).split('\n');
      expect(files, p.name).toContain('package/README.md');
      expect(
        files.some((f) => f === 'package/dist/index.js' || f === 'package/dist/bin.js'),
        p.name,
      ).toBe(true);
      expect(readFileSync(join(p.dir, 'README.md'), 'utf8').length).toBeGreaterThan(100);
    }
  });
});
