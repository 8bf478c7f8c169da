/**
 * Wraps a {@link SysCalls} so a test can make any call fail with any errno
 * at any point: hot calls then return `-errno`, the others throw the same
 * SystemCallError the real binding would.
 *
 * @module
 */

import { errnoNumber, systemError } from '@evring/abi';
import { HOT_CALLS, realSys, type SysCalls } from '../syscalls.js';

/**
 * One planned failure.
 *
 * @example
 * ```ts
 * import { type Fault, FaultInjector } from '@evring/backend/testing';
 * const fault: Fault = { call: 'epollWait', errno: 'EINTR', after: 1, times: 2 };
 * const faults = new FaultInjector().inject(fault);
 * ```
 */
export interface Fault {
  call: keyof SysCalls;
  /** Errno name, e.g. 'EINTR'. */
  errno: string;
  /** Let this many matching calls through first (default 0). */
  after?: number;
  /** Fail this many calls (default 1; Infinity for every one). */
  times?: number;
}

const SYSCALL_NAMES: Partial<Record<keyof SysCalls, string>> = {
  epollCreate1: 'epoll_create1',
  epollCtl: 'epoll_ctl',
  epollWait: 'epoll_wait',
  ioUringSetup: 'io_uring_setup',
  ioUringEnter: 'io_uring_enter',
  ioUringRegister: 'io_uring_register',
  ioSetup: 'io_setup',
  ioSubmit: 'io_submit',
  ioGetevents: 'io_getevents',
  ioCancel: 'io_cancel',
  ioDestroy: 'io_destroy',
  timerfdCreate: 'timerfd_create',
  timerfdSettime: 'timerfd_settime',
};

/**
 * A SysCalls with planned failures and per-call counts.
 *
 * @example
 * ```ts
 * import { Poller, READ, type BackendFactory } from '@evring/backend';
 * import { FaultInjector } from '@evring/backend/testing';
 * declare const epollBackend: BackendFactory; // @evring/backend-epoll's, a layer above
 * const faults = new FaultInjector().inject({ call: 'epollWait', errno: 'EINTR' });
 * const poller = new Poller(epollBackend, () => {}, { sys: faults.sys });
 * poller.poll(0); // the EINTR is absorbed
 * faults.injected.length; // 1
 * poller.destroy();
 * ```
 */
export class FaultInjector {
  readonly sys: SysCalls;
  readonly calls = new Map<keyof SysCalls, number>();
  readonly injected: Fault[] = [];
  #faults: (Fault & { seen: number; left: number })[] = [];

  constructor(base: SysCalls = realSys) {
    const wrapped = {} as Record<string, unknown>;
    for (const key of Object.keys(base) as (keyof SysCalls)[]) {
      const real = base[key] as (...args: unknown[]) => unknown;
      wrapped[key] = (...args: unknown[]) => {
        this.calls.set(key, (this.calls.get(key) ?? 0) + 1);
        const fault = this.#match(key);
        if (fault) {
          const num = errnoNumber(fault.errno);
          if (num === undefined) throw new Error(`unknown errno ${fault.errno}`);
          this.injected.push({ call: key, errno: fault.errno });
          if (HOT_CALLS.has(key)) return -num;
          throw systemError(num, SYSCALL_NAMES[key] ?? key);
        }
        return real(...args);
      };
    }
    this.sys = Object.freeze(wrapped) as unknown as SysCalls;
  }

  /** Plans a failure. */
  inject(fault: Fault): this {
    this.#faults.push({ ...fault, seen: 0, left: fault.times ?? 1 });
    return this;
  }

  /** Drops every planned failure. */
  clear(): void {
    this.#faults = [];
  }

  /** How many times `call` was made. */
  count(call: keyof SysCalls): number {
    return this.calls.get(call) ?? 0;
  }

  #match(key: keyof SysCalls): Fault | undefined {
    for (const f of this.#faults) {
      if (f.call !== key || f.left <= 0) continue;
      if (f.seen++ < (f.after ?? 0)) continue;
      f.left--;
      return f;
    }
    return undefined;
  }
}
