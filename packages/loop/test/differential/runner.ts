/**
 * Plays a script on an evring loop, standalone, on one backend: the trace of
 * its run steps. The loop's clock ticks a millisecond at every read, so a
 * timer started with `after` 0 is due at the next poll, as in libev.
 */

import { AF_UNIX, EFD_NONBLOCK, O_NONBLOCK, SOCK_NONBLOCK, SOCK_STREAM } from '@evring/abi';
import type { BackendName } from '@evring/backend';
import * as sys from '@evring/sys';
import { Loop, type LoopClock, type Watcher as LoopWatcher } from '../../src/index.js';
import type { Action, Call, End, Script, Trace } from './script.js';

class TickingClock implements LoopClock {
  #t = 1000;
  monotonic(): number {
    this.#t += 0.001;
    return this.#t;
  }
  wall(): number {
    return 1_700_000_000 + this.#t;
  }
}

const SCRATCH = Buffer.alloc(65536);

export function runOnEvring(script: Script, backend: BackendName): Trace {
  const fds: Array<[number, number]> = [];
  const loop = new Loop({
    backend,
    attach: false,
    env: false,
    fallback: false,
    clock: new TickingClock(),
  });
  try {
    for (const kind of script.channels) {
      if (kind === 'pipe') fds.push(sys.pipe2(O_NONBLOCK) as [number, number]);
      else if (kind === 'sock')
        fds.push(sys.socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0) as [number, number]);
      else {
        const e = sys.eventfd(0, EFD_NONBLOCK);
        fds.push([e, e]);
      }
    }
    const fdOf = (chan: number, end: End) => fds[chan]![end];
    const write = (chan: number, end: End, n: number) => {
      const kind = script.channels[chan]!;
      const fd = fdOf(chan, end);
      const r = kind === 'efd' ? sys.eventfdWrite(fd, n) : sys.write(fd, SCRATCH, 0, n);
      if (r < 0) throw new Error(`write to channel ${chan}.${end} failed: ${r}`);
    };
    const drain = (chan: number, end: End) => {
      const fd = fdOf(chan, end);
      if (script.channels[chan] === 'efd') sys.eventfdRead(fd);
      else while (sys.read(fd, SCRATCH) > 0);
    };
    let calls: Call[] = [];
    const watchers: LoopWatcher[] = [];
    const io: Array<{ chan: number; end: End }> = [];
    const act = (id: number, action: Action) => {
      switch (action.do) {
        case 'none':
          return;
        case 'drain':
          if (io[id]) drain(io[id].chan, io[id].end);
          return;
        case 'stop':
          watchers[id]!.stop();
          return;
        case 'write':
          write(action.chan, action.end, action.n);
          return;
        case 'start':
          // libev ignores a start of an active watcher; evring throws ERR_EVRING_WATCHER_ACTIVE.
          if (!watchers[action.target]!.isActive) watchers[action.target]!.start();
          return;
        case 'stopOther':
          watchers[action.target]!.stop();
          return;
      }
    };
    script.watchers.forEach((spec, id) => {
      const options = { priority: spec.pri };
      if (spec.kind === 'io') {
        io[id] = { chan: spec.chan, end: spec.end };
        watchers[id] = loop.io(
          fdOf(spec.chan, spec.end),
          spec.events,
          (_w, revents) => {
            calls.push([id, revents]);
            act(id, spec.action);
          },
          options,
        );
      } else if (spec.kind === 'timer') {
        watchers[id] = loop.timer(
          spec.after,
          0,
          (_w, revents) => {
            calls.push([id, revents]);
            act(id, spec.action);
          },
          options,
        );
      } else {
        const cb = (_w: unknown, revents: number) => calls.push([id, revents]);
        watchers[id] =
          spec.kind === 'idle'
            ? loop.idle(cb, options)
            : spec.kind === 'prepare'
              ? loop.prepare(cb, options)
              : loop.check(cb, options);
      }
    });
    const trace: Trace = [];
    for (const step of script.steps) {
      switch (step.op) {
        case 'start':
          watchers[step.w]!.start();
          break;
        case 'stop':
          watchers[step.w]!.stop();
          break;
        case 'set': {
          io[step.w] = { chan: step.chan, end: step.end };
          (watchers[step.w] as ReturnType<Loop['io']>).set(fdOf(step.chan, step.end), step.events);
          break;
        }
        case 'modify':
          (watchers[step.w] as ReturnType<Loop['io']>).modify(step.events);
          break;
        case 'write':
          write(step.chan, step.end, step.n);
          break;
        case 'drain':
          drain(step.chan, step.end);
          break;
        case 'run':
          calls = [];
          loop.run(step.mode);
          trace.push([calls]);
          break;
      }
    }
    return trace;
  } finally {
    loop.destroy();
    const closed = new Set<number>();
    for (const [a, b] of fds) {
      for (const fd of [a, b]) {
        if (closed.has(fd)) continue;
        closed.add(fd);
        sys.close(fd);
      }
    }
  }
}
