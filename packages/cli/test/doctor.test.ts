import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { release } from 'node:os';
import { Loop } from '@evring/loop';
import { describe, expect, it } from 'vitest';
import { type DoctorReport, runDoctor } from '../src/doctor/doctor.js';
import { formatDoctor } from '../src/doctor/format.js';

const BIN = new URL('../dist/bin.js', import.meta.url).pathname;

/** Open fds with what each points at (an fd closed and reused for another file counts as new). */
function openFds(): Set<string> {
  const out = new Set<string>();
  for (const fd of readdirSync('/proc/self/fd')) {
    try {
      out.add(`${fd} ${readlinkSync(`/proc/self/fd/${fd}`)}`);
    } catch {
      // the directory's own fd, gone once read
    }
  }
  return out;
}

describe('evring doctor', () => {
  it('reports this kernel as the kernel reports itself', () => {
    const r = runDoctor();
    expect(r.kernel.release).toBe(release());
    expect(r.kernel.nofile.soft).toBeGreaterThan(0);
    expect(r.aio.maxNr).toBe(Number(readFileSync('/proc/sys/fs/aio-max-nr', 'utf8')));
    expect(r.epoll.maxUserWatches).toBe(
      Number(readFileSync('/proc/sys/fs/epoll/max_user_watches', 'utf8')),
    );
  });

  it("says how sys's hot calls are entered, and Node-API when asked for", () => {
    // This workspace builds sys from source, for this Node's major.
    expect(runDoctor().hotCalls).toBe(process.env.EVRING_SYS_NODE_API === '1' ? 'node-api' : 'v8');
    const forced = spawnSync(process.execPath, [BIN, 'doctor', '--json'], {
      encoding: 'utf8',
      env: { ...process.env, EVRING_SYS_NODE_API: '1' },
    });
    expect(forced.status, forced.stderr).toBe(0);
    expect((JSON.parse(forced.stdout) as DoctorReport).hotCalls).toBe('node-api');
    expect(formatDoctor({ ...runDoctor(), hotCalls: 'node-api' })).toMatch(
      /sys {8}hot calls entered through Node-API/,
    );
  });

  it('probes io_uring: POLL_ADD and TIMEOUT supported, SINGLE_MMAP and EXT_ARG present (this 6.x kernel has them)', () => {
    const r = runDoctor();
    expect(r.iouring.available).toBe(true);
    expect(r.iouring.opcodes.supported).toEqual(
      expect.arrayContaining(['POLL_ADD', 'POLL_REMOVE', 'TIMEOUT']),
    );
    const present = r.iouring.features.filter((f) => f.present).map((f) => f.name);
    expect(present).toEqual(
      expect.arrayContaining([
        'IORING_FEAT_SINGLE_MMAP',
        'IORING_FEAT_NODROP',
        'IORING_FEAT_EXT_ARG',
      ]),
    );
    if (existsSync('/proc/sys/kernel/io_uring_disabled')) expect(r.iouring.disabledSysctl).toBe(0);
  });

  it("names auto's pick exactly as a new Loop makes it", () => {
    const r = runDoctor();
    const loop = new Loop({ attach: false });
    expect(r.auto.backend).toBe(loop.backend);
    expect(r.auto.reason).toBe(loop.backendReason);
    loop.destroy();
  });

  it('finds what each switch-off changes by opening the backend with it', () => {
    const r = runDoctor();
    const iouring = r.backends.find((b) => b.name === 'iouring')!;
    expect(iouring.available).toBe(true);
    const change = (option: string): string[] =>
      iouring.switches.find((s) => s.option === option)!.changes;
    expect(change('{ multishot: false }')).toContain('multishot: true → false');
    expect(change('{ extArg: false }')).toContain('waitMode: ext-arg → op-timeout');
    expect(change('{ extArg: false, opTimeout: false }')).toContain('waitMode: ext-arg → timerfd');
    expect(change('{ nodrop: false }')).toEqual(['nodrop: true → false']);
    const aio = r.backends.find((b) => b.name === 'linuxaio')!;
    expect(aio.switches[0]!.changes).toEqual(['ring: true → false']);
  });

  it('says which file operations each backend does in the kernel, and with which options', () => {
    const r = runDoctor();
    const ops = (name: string) => r.backends.find((b) => b.name === name)!.operations!;
    expect(ops('epoll')).toEqual({
      native: [],
      emulated: [
        'read',
        'write',
        'fsync',
        'fdatasync',
        'open',
        'close',
        'stat',
        'ftruncate',
        'rename',
        'unlink',
        'mkdir',
        'readv',
        'writev',
        'link',
        'symlink',
      ],
    });
    expect(ops('linuxaio').native).toEqual([
      'read',
      'write',
      'fsync',
      'fdatasync',
      'readv',
      'writev',
    ]);
    const iouring = ops('iouring');
    // ftruncate needs linux 6.9; this machine's 6.x kernel may or may not have it.
    expect(iouring.native).toEqual(
      expect.arrayContaining([
        'read',
        'write',
        'open',
        'close',
        'stat',
        'rename',
        'unlink',
        'mkdir',
        'readv',
        'writev',
        'link',
        'symlink',
      ]),
    );
    // A bare Poller's default is a plain ring; a Loop asks for a tracking one.
    expect(iouring.options).toBe("{ tracking: true }, a Loop's default");
    expect(r.backends.find((b) => b.name === 'iouring')?.features.tracking).toBe(false);
    const tracking = r.backends
      .find((b) => b.name === 'iouring')
      ?.switches.find((s) => s.option === '{ tracking: true }');
    // A tracking ring also changes multishot masks by remove and add (see
    // IoUringOptions.pollUpdate), and attached (doctor opens backends as an
    // attached loop would) it watches fds through epoll.
    expect(tracking?.changes).toEqual([
      'pollUpdate: true → false',
      'tracking: false → true',
      'epollReadiness: false → true',
    ]);
    const text = formatDoctor(r);
    expect(text).toContain('file operations in the kernel: read write fsync fdatasync');
    expect(text).toContain('emulated by a direct syscall');
    // io_uring's stat, in the kernel only when memory cannot answer it, says so.
    const iouringText = text.slice(text.indexOf('backend iouring:'));
    expect(iouringText).toMatch(/\n {2}stat: made at once when memory answers it .*statxInline/);
    expect(text.slice(0, text.indexOf('backend iouring:'))).not.toContain('statxInline');
  });

  it('leaves no fd open behind it', () => {
    runDoctor();
    const before = openFds();
    for (let i = 0; i < 5; i++) runDoctor();
    // Only new fds count: a GC finaliser may close an older one meanwhile.
    expect([...openFds()].filter((fd) => !before.has(fd))).toEqual([]);
  });

  it('runs as a command: text by default, JSON with --json, and EVRING_BACKEND is shown', () => {
    const text = spawnSync(process.execPath, [BIN, 'doctor'], { encoding: 'utf8' });
    expect(text.status).toBe(0);
    expect(text.stdout).toMatch(/^kernel {5}linux /);
    expect(text.stdout).toMatch(/auto picks epoll: epoll: the fastest level-triggered backend/);
    const json = spawnSync(process.execPath, [BIN, 'doctor', '--json'], {
      encoding: 'utf8',
      env: { ...process.env, EVRING_BACKEND: 'iouring' },
    });
    expect(json.status).toBe(0);
    const r = JSON.parse(json.stdout) as DoctorReport;
    expect(r.auto).toEqual({
      backend: 'iouring',
      reason: 'iouring: requested by EVRING_BACKEND',
      env: 'iouring',
    });
  });

  it('a reader that goes away early (`evring … | head`) ends the command quietly, status 0', async () => {
    // The reader closes its end before the command writes: every write then fails with EPIPE.
    const child = spawn(process.execPath, [BIN, 'doctor', '--json'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d));
    const status = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(stderr).toBe('');
    expect(status).toBe(0);
  });

  it('says a refused backend is refused, with the reason (formatted from a report)', () => {
    const r = runDoctor();
    const refused: DoctorReport = {
      ...r,
      iouring: {
        ...r.iouring,
        available: false,
        refusal: { code: 'EPERM', message: 'io_uring_setup: operation not permitted' },
      },
      backends: [
        {
          name: 'iouring',
          available: false,
          refusal: 'io_uring_setup: EPERM',
          features: {},
          switches: [],
        },
      ],
    };
    const text = formatDoctor(refused);
    expect(text).toMatch(/io_uring {3}refused: EPERM/);
    expect(text).toMatch(/backend iouring: refused by this kernel: io_uring_setup: EPERM/);
  });
});
