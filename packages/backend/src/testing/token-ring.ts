/**
 * A ring of pipes with one byte going round, served the way `@evring/loop`
 * serves it: the backend's events are collected during `poll`, and the
 * callbacks (read the byte, write it to the next pipe) run after `poll`
 * returns. That order is what leaves each re-arm queued while the next
 * completion already waits — the case the backends' syscall-economy tests
 * measure.
 *
 * @module
 */

import * as sys from '@evring/sys';
import type { BackendFactory } from '../backend.js';
import { READ } from '../events.js';
import { Poller } from '../poller.js';
import type { FdScope } from './fixtures.js';

const ONE = Buffer.from('e');
const SCRATCH = Buffer.alloc(1);

/**
 * What {@link tokenRing} returns.
 *
 * @example
 * ```ts
 * import { FdScope, type TokenRing, tokenRing } from '@evring/backend/testing';
 * import type { BackendFactory } from '@evring/backend';
 * import { write } from '@evring/sys';
 * declare const iouringBackend: BackendFactory; // @evring/backend-iouring's, a layer above
 * const scope = new FdScope();
 * const ring: TokenRing = tokenRing(iouringBackend, scope, 4);
 * write(ring.pipes[0]!.w, Buffer.from('e'));
 * ring.iterate(1000); // poll, then the callback: the byte moves to pipes[1]
 * ring.served.get(ring.pipes[0]!.r); // 1
 * ring.poller.destroy();
 * await scope.dispose();
 * ```
 */
export interface TokenRing {
  readonly poller: Poller;
  /** The ring's pipes; a byte written to `pipes[0].w` starts the token. */
  readonly pipes: ReadonlyArray<{ r: number; w: number }>;
  /** How many times each ring fd was served. */
  readonly served: Map<number, number>;
  /** Events of the extra fds, in order (they are only recorded, never read). */
  readonly otherEvents: number[];
  /** One owner iteration: `poll(timeoutMs)`, then the callbacks. */
  iterate(timeoutMs: number): void;
}

/**
 * A ring of `n` pipes watched for READ on a new Poller of `factory`, plus
 * `others` watched for READ too. The fds come from `scope`; the caller
 * destroys the poller.
 *
 * @example
 * ```ts
 * import { FdScope, tokenRing } from '@evring/backend/testing';
 * import type { BackendFactory } from '@evring/backend';
 * import { write } from '@evring/sys';
 * declare const epollBackend: BackendFactory; // @evring/backend-epoll's, a layer above
 * const scope = new FdScope();
 * const ring = tokenRing(epollBackend, scope, 8);
 * write(ring.pipes[0]!.w, Buffer.from('e'));
 * for (let i = 0; i < 100; i++) ring.iterate(1000);
 * ring.served.get(ring.pipes[3]!.r); // 12 or 13: the token went round
 * ring.poller.destroy();
 * await scope.dispose();
 * ```
 */
export function tokenRing(
  factory: BackendFactory,
  scope: FdScope,
  n: number,
  others: readonly number[] = [],
): TokenRing {
  const pipes = Array.from({ length: n }, () => scope.pipe());
  const next = new Map(pipes.map(({ r }, i) => [r, pipes[(i + 1) % n]!.w]));
  const ready: number[] = [];
  const served = new Map<number, number>();
  const otherEvents: number[] = [];
  const poller = new Poller(factory, (fd) => ready.push(fd));
  for (const { r } of pipes) poller.set(r, READ);
  for (const fd of others) poller.set(fd, READ);
  poller.poll(0);
  return {
    poller,
    pipes,
    served,
    otherEvents,
    iterate(timeoutMs) {
      poller.poll(timeoutMs);
      for (const fd of ready.splice(0)) {
        const to = next.get(fd);
        if (to === undefined) {
          otherEvents.push(fd);
          continue;
        }
        if (sys.read(fd, SCRATCH, 0, 1) !== 1)
          throw new Error(`fd ${fd} was reported without its byte`);
        served.set(fd, (served.get(fd) ?? 0) + 1);
        sys.write(to, ONE, 0, 1);
      }
    },
  };
}
