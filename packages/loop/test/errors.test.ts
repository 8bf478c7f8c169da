import { getSystemErrorMap } from 'node:util';
import { describe, expect, it } from 'vitest';
import { fileError } from '../src/file-ops.js';
import { IoWatcher, Loop, READ, TimerWatcher } from '../src/index.js';
import { BACKENDS, testScope } from './helpers.js';

const code = (c: string) => expect.objectContaining({ code: c });

describe.each(BACKENDS)('bad input on %s: typed errors, never a crash or a hang', (backend) => {
  const t = testScope();

  it('io(): a non-integer, negative or huge fd; events outside READ | WRITE | PRI | EDGE', () => {
    const loop = t.loop({ backend });
    expect(() => loop.io(-1, READ)).toThrow(code('ERR_OUT_OF_RANGE'));
    expect(() => loop.io(1.5, READ)).toThrow(RangeError);
    expect(() => loop.io(2 ** 31, READ)).toThrow(RangeError);
    expect(() => loop.io('3' as unknown as number, READ)).toThrow(code('ERR_INVALID_ARG_TYPE'));
    expect(() => loop.io(0, 0x100)).toThrow(code('ERR_INVALID_ARG_VALUE'));
    expect(() => loop.io(0, -1)).toThrow(RangeError);
    expect(() => loop.io(0, READ, 42 as unknown as () => void)).toThrow(
      code('ERR_INVALID_ARG_TYPE'),
    );
  });

  it('timer(): negative, NaN or infinite times; periodic(): a bad offset or interval', () => {
    const loop = t.loop({ backend });
    for (const bad of [-1, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => loop.timer(bad, 0, () => {})).toThrow(code('ERR_OUT_OF_RANGE'));
      expect(() => loop.timer(0, bad, () => {})).toThrow(code('ERR_OUT_OF_RANGE'));
      expect(() => loop.periodic(0, bad, () => {})).toThrow(code('ERR_OUT_OF_RANGE'));
    }
    expect(() => loop.periodic(Number.NaN, 1, () => {})).toThrow(code('ERR_INVALID_ARG_TYPE'));
    const timer = loop.timer(1, 0, () => {});
    expect(() => {
      timer.repeat = -2;
    }).toThrow(RangeError);
    expect(() => {
      timer.priority = 3;
    }).toThrow(code('ERR_OUT_OF_RANGE'));
  });

  it('a watcher made without the loop: its constructors take only what a loop hands them', () => {
    const loop = t.loop({ backend });
    // Plain JavaScript can reach the constructors; the types do not offer them.
    const Io = IoWatcher as unknown as new (...args: unknown[]) => IoWatcher;
    const Timer = TimerWatcher as unknown as new (...args: unknown[]) => TimerWatcher;
    expect(() => new Io(loop, 0, READ, () => {})).toThrow(code('ERR_INVALID_ARG_TYPE'));
    expect(() => new Timer({ loop }, 1, 0, () => {})).toThrow(code('ERR_INVALID_ARG_TYPE'));
    expect(() => new Io()).toThrow(code('ERR_INVALID_ARG_TYPE'));
  });

  it('starting an active watcher twice; any use of a destroyed loop', () => {
    const loop = t.loop({ backend });
    const w = loop.timer(10, 0, () => {}).start();
    expect(() => w.start()).toThrow(code('ERR_EVRING_WATCHER_ACTIVE'));
    loop.destroy();
    loop.destroy(); // idempotent
    expect(w.isActive).toBe(false);
    expect(() => w.start()).toThrow(code('ERR_EVRING_LOOP_DESTROYED'));
    expect(() => loop.timer(1, 0, () => {})).toThrow(code('ERR_EVRING_LOOP_DESTROYED'));
    expect(() => loop.run()).toThrow(code('ERR_EVRING_LOOP_DESTROYED'));
    expect(w.stop()).toBe(w); // stopping is always allowed
  });

  it('run() and break() with unknown modes; feedEvent with a foreign watcher', () => {
    const loop = t.loop({ backend });
    const other = t.loop({ backend });
    expect(() => loop.run('forever' as 'default')).toThrow(code('ERR_INVALID_ARG_VALUE'));
    expect(() => loop.break('some' as 'one')).toThrow(code('ERR_INVALID_ARG_VALUE'));
    const foreign = other.timer(1, 0, () => {});
    expect(() => loop.feedEvent(foreign, 1)).toThrow(code('ERR_INVALID_ARG_VALUE'));
    expect(() => loop.feedEvent({} as never, 1)).toThrow(code('ERR_INVALID_ARG_VALUE'));
    expect(() =>
      loop.feedEvent(
        loop.timer(1, 0, () => {}),
        -5,
      ),
    ).toThrow(RangeError);
  });

  it('a watcher on an fd that is not open is killed with ERROR, not thrown', () => {
    const loop = t.loop({ backend });
    let got = 0;
    loop.io(19_990, READ, (_w, ev) => (got = ev >>> 0)).start();
    loop.run('nowait');
    loop.run('nowait');
    expect(got).toBe(0x80000003);
  });
});

describe('constructor options', () => {
  it('an unknown backend name, from options or EVRING_BACKEND, is a typed error', () => {
    expect(() => new Loop({ backend: 'kqueue' as 'epoll', attach: false })).toThrow(
      code('ERR_INVALID_ARG_VALUE'),
    );
    const saved = process.env.EVRING_BACKEND;
    process.env.EVRING_BACKEND = 'select';
    try {
      expect(() => new Loop({ attach: false })).toThrow(/EVRING_BACKEND/);
      const ignored = new Loop({ attach: false, env: false });
      expect(ignored.backend).toBe('epoll');
      ignored.destroy();
    } finally {
      if (saved === undefined) delete process.env.EVRING_BACKEND;
      else process.env.EVRING_BACKEND = saved;
    }
  });

  it('EVRING_BACKEND overrides the backend option, and the loop says why it runs on what it runs on', () => {
    const saved = process.env.EVRING_BACKEND;
    process.env.EVRING_BACKEND = 'iouring';
    try {
      const loop = new Loop({ backend: 'epoll', attach: false });
      expect(loop.backend).toBe('iouring');
      expect(loop.backendReason).toBe('iouring: requested by EVRING_BACKEND');
      loop.destroy();
    } finally {
      if (saved === undefined) delete process.env.EVRING_BACKEND;
      else process.env.EVRING_BACKEND = saved;
    }
    const auto = new Loop({ attach: false, env: false });
    expect(auto.backend).toBe('epoll');
    expect(auto.backendReason).toMatch(
      /^epoll: the fastest level-triggered backend in the benchmark here .*io_uring and linuxaio on request/,
    );
    auto.destroy();
  });

  it('a backend the kernel refuses falls back to the next, with the reason; or throws with fallback: false', () => {
    // A CQ smaller than the SQ: io_uring_setup says EINVAL, with or without the tracking flags.
    const opts = {
      backend: 'iouring',
      iouring: { entries: 64, cqEntries: 8 },
      attach: false,
      env: false,
    } as const;
    let loop: Loop | undefined;
    try {
      loop = new Loop(opts);
    } catch (err) {
      throw new Error(`expected a fallback, got ${String(err)}`);
    }
    expect(loop.backend).toBe('epoll');
    expect(loop.backendReason).toMatch(
      /^epoll: iouring unavailable \(.*EINVAL.*\); epoll is next in the fallback order$/,
    );
    loop.destroy();
    expect(() => new Loop({ ...opts, fallback: false })).toThrow(
      expect.objectContaining({
        name: 'BackendUnavailableError',
        backend: 'iouring',
        code: 'EINVAL',
      }),
    );
  });
});

describe("a file operation's error: Node's name for every errno", () => {
  it("names each errno as node:util does (95 is ENOTSUP, not the kernel headers' EOPNOTSUPP), in code and message", () => {
    for (let errno = 1; errno < 134; errno++) {
      const err = fileError(-errno, 'copyfile', 'a', 'b');
      const name = getSystemErrorMap().get(-errno)?.[0];
      if (name === undefined) continue; // one libuv does not know keeps the kernel's name
      expect(err.code, `errno ${errno}`).toBe(name);
      expect(err.message.startsWith(`${name}: `), err.message).toBe(true);
    }
    expect(fileError(-95, 'copyfile', 'a', 'b')).toMatchObject({
      code: 'ENOTSUP',
      errno: -95,
      message: "ENOTSUP: operation not supported on socket, copyfile 'a' -> 'b'",
    });
  });
});
