import { describe, expect, it } from 'vitest';
import {
  type Backend,
  type BackendFactory,
  BackendUnavailableError,
  createBackend,
  describeEvents,
  EDGE,
  ERROR,
  KILLED,
  Poller,
  PRI,
  READ,
  WRITE,
} from '../src/index.js';

/** A scripted backend: records modify calls and reports what the test queues. */
function fakeFactory() {
  const log: string[] = [];
  const timeouts: number[] = [];
  let report: [number, number][] = [];
  let owner!: Parameters<BackendFactory['open']>[0];
  const backend: Backend & { queue(fd: number, r: number): void } = {
    name: 'epoll',
    fd: -1,
    features: { fake: true },
    destroyed: false,
    modify(fd, o, n) {
      log.push(`modify ${fd} ${o}->${n}`);
      if (fd === 13) owner.fdKill(fd);
    },
    poll(timeoutMs) {
      timeouts.push(timeoutMs);
      for (const [fd, r] of report) owner.fdEvent(fd, r);
      report = [];
    },
    recreate() {
      log.push('recreate');
      owner.rearmAll();
    },
    destroy() {
      log.push('destroy');
    },
    flush() {
      log.push('flush');
      return report.length > 0;
    },
    queue(fd, r) {
      report.push([fd, r]);
    },
  };
  const factory: BackendFactory = {
    name: 'epoll',
    open(o) {
      owner = o;
      return { backend };
    },
  };
  return { factory, backend, log, timeouts };
}

describe('Poller', () => {
  it('validates fds and masks', () => {
    const { factory } = fakeFactory();
    const p = new Poller(factory, () => {});
    expect(() => p.set(-1, READ)).toThrow(RangeError);
    expect(() => p.set(1.5, READ)).toThrow(RangeError);
    expect(() => p.set(3, 0x100)).toThrow(RangeError);
    expect(() => p.set(3, Number.NaN)).toThrow(RangeError);
  });

  it('reifies once per changed fd, with the old and the new mask', () => {
    const { factory, log } = fakeFactory();
    const p = new Poller(factory, () => {});
    p.set(4, READ);
    p.set(4, READ | WRITE);
    p.set(5, WRITE);
    p.set(5, 0);
    p.poll(0);
    expect(log).toEqual([`modify 4 0->${READ | WRITE}`]);
    p.touch(4); // same mask, but possibly a new file: re-registered
    p.poll(0);
    expect(log.at(-1)).toBe(`modify 4 ${READ | WRITE}->${READ | WRITE}`);
  });

  it('flush() applies pending changes first, then asks the backend, passing on its answer', () => {
    const { factory, backend, log } = fakeFactory();
    const p = new Poller(factory, () => {});
    p.set(4, READ);
    expect(p.flush()).toBe(false);
    expect(log).toEqual([`modify 4 0->${READ}`, 'flush']);
    backend.queue(4, READ); // something poll(0) would report that the fd does not signal
    expect(p.flush()).toBe(true);
    expect(log).toHaveLength(3);
  });

  it('waits as long as told, or as a function answers once the changes are applied', () => {
    const { factory, log, timeouts } = fakeFactory();
    const p = new Poller(factory, () => {});
    p.poll(7);
    p.set(4, READ);
    p.poll(() => {
      log.push('asked'); // after the change reached the backend
      return 25;
    });
    expect(timeouts).toEqual([7, 25]);
    expect(log).toEqual([`modify 4 0->${READ}`, 'asked']);
  });

  it('does not wait, nor ask how long, when applying the changes killed an fd', () => {
    const { factory, timeouts } = fakeFactory();
    let asked = 0;
    const p = new Poller(factory, () => {});
    p.set(13, READ); // the fake backend kills fd 13 when it is modified
    p.poll(() => ++asked * 1000);
    p.set(14, READ);
    p.poll(500);
    p.set(13, READ);
    p.poll(500);
    expect(timeouts).toEqual([0, 500, 0]);
    expect(asked).toBe(0);
  });

  it('completeLater: delivered by the next poll, which does not sleep; never from the call; once', () => {
    const { factory, log, timeouts } = fakeFactory();
    const done: string[] = [];
    const p = new Poller(factory, () => {}, {
      onOpComplete: (token, res) => done.push(`${token} ${res}`),
    });
    p.completeLater(7, 0);
    p.completeLater(8, -2);
    expect(done).toEqual([]);
    expect(p.flush()).toBe(true); // an owner about to sleep learns that a poll has work
    p.poll(5000);
    expect(timeouts).toEqual([0]);
    expect(done).toEqual(['7 0', '8 -2']);
    p.poll(30);
    expect(timeouts).toEqual([0, 30]);
    expect(done).toHaveLength(2);
    // One queued when the Poller is destroyed still reaches its owner.
    p.completeLater(9, 0);
    p.destroy();
    expect(done.at(-1)).toBe('9 0');
    expect(log.at(-1)).toBe('destroy');
  });

  it('masks reports with the interest and drops those for fds changed since', () => {
    const { factory, backend } = fakeFactory();
    const got: [number, number][] = [];
    const p = new Poller(factory, (fd, r) => got.push([fd, r]));
    p.set(4, READ | EDGE);
    p.poll(0);
    backend.queue(4, READ | WRITE | PRI);
    p.poll(0);
    expect(got).toEqual([[4, READ]]);
    p.set(4, WRITE); // pending: a report of the old registration is dropped
    backend.queue(4, READ | WRITE);
    p.backend.poll(0);
    expect(got).toHaveLength(1);
  });

  it('turns a kill into one ERROR | READ | WRITE and drops the interest', () => {
    const { factory } = fakeFactory();
    const got: [number, number][] = [];
    const p = new Poller(factory, (fd, r) => got.push([fd, r]));
    p.set(13, READ);
    p.poll(0);
    expect(got).toEqual([[13, KILLED]]);
    expect(KILLED).toBe((ERROR | READ | WRITE) >>> 0);
    expect(p.interest(13)).toBe(0);
    expect(describeEvents(KILLED)).toBe('READ|WRITE|ERROR');
  });

  it('re-arms every fd after the backend re-creates its state', () => {
    const { factory, log } = fakeFactory();
    const p = new Poller(factory, () => {});
    p.set(4, READ);
    p.set(7, WRITE);
    p.poll(0);
    log.length = 0;
    p.recreate();
    p.poll(0);
    expect(log).toEqual(['recreate', `modify 4 0->${READ}`, `modify 7 0->${WRITE}`]);
  });

  it('an unavailable backend throws a typed error from Poller, and a reason from open()', () => {
    const factory: BackendFactory = {
      name: 'iouring',
      open: () => ({ reason: 'io_uring_setup: ENOSYS', code: 'ENOSYS' }),
    };
    expect(() => new Poller(factory, () => {})).toThrow(BackendUnavailableError);
    const owner = new Poller(fakeFactory().factory, () => {});
    expect(() => createBackend(factory, owner)).toThrow(
      /iouring backend unavailable: io_uring_setup: ENOSYS/,
    );
  });
});
