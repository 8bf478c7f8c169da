/**
 * The release path a user takes: every public package is published to a
 * throw-away local registry (verdaccio, on a loopback port, proxying the
 * public registry for third-party packages), then fresh npm projects run a
 * plain `npm install @evring/…` against it, with no compiler on the PATH
 * (the addon comes from the prebuilt binary in the sys tarball). A strict
 * TypeScript program type-checks against what was installed and runs on
 * each backend, a CommonJS program `require()`s the loop, and
 * `npx evring doctor --json` prints JSON only.
 */

import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import {
  closeSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pathWithoutCompilers, ROOT, run, userEnv, workspacePackages } from './workspace.js';

const published = workspacePackages().filter((p) => !p.private);
const VERDACCIO = join(ROOT, 'packages/repo-checks/node_modules/verdaccio/bin/verdaccio');
const TSC = join(ROOT, 'node_modules/typescript/bin/tsc');
const TYPE_ROOTS = join(ROOT, 'node_modules/@types');

let scratch = '';
let registry = '';
let npmrc = '';
let noCompiler: NodeJS.ProcessEnv = {};
let server: ChildProcess | undefined;

/** A port nothing listens on now. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

/** One HTTP request on its own connection (closed after the answer): no keep-alive socket stays open. */
function http(
  method: string,
  url: string,
  body?: unknown,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const headers = { 'content-type': 'application/json' };
    const req = request(url, { method, agent: false, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', reject);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

/** Polls `url` until it answers 200, for at most `ms`. */
async function waitFor(url: string, ms: number, log: string): Promise<void> {
  const deadline = performance.now() + ms;
  let last = '';
  while (performance.now() < deadline) {
    try {
      const r = await http('GET', url);
      if (r.status === 200) return;
      last = `HTTP ${r.status}`;
    } catch (err) {
      last = (err as Error).message;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(
    `verdaccio did not answer at ${url} within ${ms} ms (${last}):\n${readFileSync(log, 'utf8')}`,
  );
}

/** npm against the local registry, in `cwd`, with `env` on top of {@link userEnv}; a failure carries verdaccio's log. */
function npm(cwd: string, args: readonly string[], env: NodeJS.ProcessEnv = {}): string {
  try {
    return run(
      'npm',
      [
        ...args,
        '--userconfig',
        npmrc,
        '--registry',
        registry,
        '--no-audit',
        '--no-fund',
        '--loglevel=error',
      ],
      {
        cwd,
        env: userEnv({ npm_config_cache: join(scratch, 'npm-cache'), ...env }),
        timeout: 240_000,
      },
    );
  } catch (err) {
    (err as Error).message +=
      `\nverdaccio's log:\n${readFileSync(join(scratch, 'verdaccio.log'), 'utf8')}`;
    throw err;
  }
}

/** A fresh project outside the workspace with `names` installed from the registry, no compiler on the PATH. */
function project(label: string, names: readonly string[]): string {
  const dir = join(scratch, label);
  mkdirSync(dir);
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify({ name: `user-${label}`, private: true, type: 'module' }),
  );
  npm(dir, ['install', ...names], noCompiler);
  return dir;
}

const installed = (dir: string): string[] =>
  readdirSync(join(dir, 'node_modules', '@evring')).sort();

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'evring-registry-'));
  const packs = join(scratch, 'packs');
  run('pnpm', ['-s', 'tarballs', packs], { cwd: ROOT });
  noCompiler = { PATH: pathWithoutCompilers(join(scratch, 'no-compiler-bin')) };

  const port = await freePort();
  registry = `http://127.0.0.1:${port}/`;
  const upstream =
    run('npm', ['config', 'get', 'registry']).trim() || 'https://registry.npmjs.org/';
  const config = join(scratch, 'verdaccio.yaml');
  writeFileSync(
    config,
    [
      `storage: ${join(scratch, 'storage')}`,
      'auth:',
      '  htpasswd:',
      `    file: ${join(scratch, 'htpasswd')}`,
      '    max_users: 10',
      'uplinks:',
      '  upstream:',
      `    url: ${upstream}`,
      // A slow answer under a busy test run must not mark the uplink offline for minutes.
      '    timeout: 60s',
      '    max_fails: 1000',
      '    fail_timeout: 1s',
      'packages:',
      "  '@evring/*':",
      '    access: $all',
      '    publish: $authenticated',
      "  '**':",
      '    access: $all',
      '    publish: $authenticated',
      '    proxy: upstream',
      'log: { type: stdout, format: pretty, level: warn }',
      '',
    ].join('\n'),
  );
  const log = join(scratch, 'verdaccio.log');
  const logFd = openSync(log, 'w');
  server = spawn(
    process.execPath,
    [VERDACCIO, '--config', config, '--listen', `127.0.0.1:${port}`],
    {
      stdio: ['ignore', logFd, logFd],
    },
  );
  closeSync(logFd);
  await waitFor(`${registry}-/ping`, 60_000, log);

  // A user to publish as (npm refuses to publish without credentials).
  const user = await http('PUT', `${registry}-/user/org.couchdb.user:evring`, {
    name: 'evring',
    password: 'evring-local-only',
    type: 'user',
    roles: [],
  });
  const { token } = JSON.parse(user.body) as { token?: string };
  expect(token, 'verdaccio gave no token').toBeTruthy();
  npmrc = join(scratch, 'npmrc');
  const host = registry.replace(/^http:/, '');
  writeFileSync(npmrc, `registry=${registry}\n${host}:_authToken=${token}\n`);

  for (const file of readdirSync(packs)) npm(scratch, ['publish', join(packs, file)]);

  // The packages the installs take from the public registry, fetched through
  // verdaccio's uplink until they answer (a transient network error is retried
  // here, within a time bound, rather than failing an install later).
  const thirdParty = new Set<string>();
  for (const p of published) {
    for (const dep of Object.keys(p.dependencies))
      if (!dep.startsWith('@evring/')) thirdParty.add(dep);
  }
  for (const name of thirdParty) await waitFor(`${registry}${name}`, 120_000, log);
}, 300_000);

afterAll(async () => {
  if (server && server.exitCode === null) {
    const exited = new Promise((resolve) => server!.once('exit', resolve));
    server.kill('SIGTERM');
    await exited;
  }
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

describe('published to a local registry', () => {
  it('every public package is there, at its version', () => {
    for (const p of published) {
      expect(npm(scratch, ['view', p.name, 'version']).trim(), p.name).toBe(p.version);
    }
  });
});

describe('npm install from the registry, no compiler on the PATH', () => {
  it('@evring/loop brings the chain; a strict TypeScript program type-checks and runs on every backend; CommonJS require() works', () => {
    const dir = project('loop', ['@evring/loop']);
    expect(installed(dir)).toEqual([
      'abi',
      'backend',
      'backend-epoll',
      'backend-iouring',
      'backend-linuxaio',
      'loop',
      'sys',
    ]);
    writeFileSync(
      join(dir, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          strict: true,
          noUncheckedIndexedAccess: true,
          exactOptionalPropertyTypes: true,
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          target: 'ES2022',
          outDir: 'out',
          skipLibCheck: false,
          typeRoots: [TYPE_ROOTS],
          types: ['node'],
        },
        files: ['use.ts'],
      }),
    );
    writeFileSync(
      join(dir, 'use.ts'),
      `import { errno, type ErrnoName } from '@evring/abi';
       import { type BackendChoice, Loop, READ } from '@evring/loop';
       import { pipe2, read, write } from '@evring/sys';

       const backend = process.argv[2] as BackendChoice;
       const again: 11 = errno.EAGAIN;
       const name: ErrnoName = 'ECANCELED';
       const loop = new Loop({ backend, fallback: false });
       const [r, w] = pipe2(0o4000);
       const got: string[] = [];
       const io = loop.io(r, READ, () => {
         const buf = Buffer.alloc(16);
         got.push(buf.toString('utf8', 0, read(r, buf)));
         io.stop();
       }).start();
       loop.timer(0.005, 0, () => write(w, Buffer.from('hello'))).start();
       const text = await loop.fs.promises.readFile(new URL('../package.json', import.meta.url), 'utf8');
       loop.run();
       console.log(JSON.stringify({ backend: loop.backend, got, again, name, file: JSON.parse(text).name }));
       loop.destroy();`,
    );
    run(process.execPath, [TSC, '-p', 'tsconfig.json'], { cwd: dir });
    for (const backend of ['epoll', 'linuxaio', 'iouring']) {
      expect(
        JSON.parse(run(process.execPath, ['out/use.js', backend], { cwd: dir, timeout: 20_000 })),
      ).toEqual({
        backend,
        got: ['hello'],
        again: 11,
        name: 'ECANCELED',
        file: 'user-loop',
      });
    }
    writeFileSync(
      join(dir, 'use.cjs'),
      `const { Loop } = require('@evring/loop');
       const loop = new Loop({ attach: false });
       loop.timer(0.001, 0, () => console.log('timer on ' + loop.backend)).start();
       loop.run();
       loop.destroy();`,
    );
    const cjs = spawnSync(process.execPath, ['use.cjs'], {
      cwd: dir,
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(cjs.status, cjs.stderr).toBe(0);
    expect(cjs.stdout.trim()).toMatch(/^timer on (epoll|iouring|linuxaio)$/);
  });

  it('@evring/abi alone: nothing else comes with it', () => {
    const dir = project('abi', ['@evring/abi']);
    expect(installed(dir)).toEqual(['abi']);
    expect(readdirSync(join(dir, 'node_modules')).filter((d) => !d.startsWith('.'))).toEqual([
      '@evring',
    ]);
  });

  it('@evring/sys: the prebuilt addon, no build directory', () => {
    const dir = project('sys', ['@evring/sys']);
    expect(installed(dir)).toEqual(['abi', 'sys']);
    expect(readdirSync(join(dir, 'node_modules/@evring/sys'))).not.toContain('build');
    writeFileSync(
      join(dir, 'use.js'),
      `import { close, eventfd, eventfdRead, eventfdWrite } from '@evring/sys';
       const fd = eventfd(0, 0);
       eventfdWrite(fd, 3);
       console.log(eventfdRead(fd));
       close(fd);`,
    );
    expect(
      run(process.execPath, ['use.js'], {
        cwd: dir,
        env: userEnv(noCompiler),
      }).trim(),
    ).toBe('3');
  });

  it('one backend (@evring/backend-iouring) with what it needs polls a pipe', () => {
    const dir = project('backend', ['@evring/backend', '@evring/backend-iouring']);
    // io_uring's backend embeds epoll for the fds io_uring cannot poll.
    expect(installed(dir)).toEqual(['abi', 'backend', 'backend-epoll', 'backend-iouring', 'sys']);
    writeFileSync(
      join(dir, 'use.js'),
      `import { Poller, READ } from '@evring/backend';
       import { iouringBackend } from '@evring/backend-iouring';
       import { close, pipe2, write } from '@evring/sys';
       const [r, w] = pipe2(0o4000);
       const seen = [];
       const poller = new Poller(iouringBackend, (fd, ev) => seen.push([fd === r, ev]));
       poller.set(r, READ);
       write(w, Buffer.from('x'));
       const deadline = Date.now() + 2000;
       while (seen.length === 0 && Date.now() < deadline) poller.poll(50);
       poller.destroy();
       close(r);
       close(w);
       console.log(JSON.stringify({ backend: poller.backend.name, seen }));`,
    );
    expect(JSON.parse(run(process.execPath, ['use.js'], { cwd: dir }))).toEqual({
      backend: 'iouring',
      seen: [[true, READ_BIT]],
    });
  });

  it('npx evring doctor --json prints JSON only', () => {
    const dir = project('cli', ['@evring/cli']);
    const out = run('npx', ['--no-install', 'evring', 'doctor', '--json'], {
      cwd: dir,
      env: userEnv(noCompiler),
    });
    const report = JSON.parse(out) as { auto: { backend: string }; backends: unknown[] };
    expect(['epoll', 'iouring', 'linuxaio']).toContain(report.auto.backend);
    expect(report.backends.length).toBe(3);
  });
});

const READ_BIT = 1;
