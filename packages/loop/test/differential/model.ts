/**
 * An executable model of libev's rules for what the differential test plays
 * (ev.c's ev_run, fd_event, timers_reify, idle_reify, queue_events and
 * ev_invoke_pending; ev.pod for what each watcher promises), over a model
 * of the channels' readiness. It is the oracle wherever libev itself is not
 * installed, and libev checks it wherever it is.
 *
 * One iteration, as ev_run: prepare watchers are queued and invoked; the
 * poll feeds every active io watcher whose fd is ready for its events
 * (level-triggered: every iteration while ready); due timers are fed, a
 * one-shot stopped first; idle watchers of the highest priority that has
 * idles and nothing pending at or above it are fed; check watchers are fed;
 * then everything pending is invoked, highest priority first. A stop clears
 * a pending event (clear_pending).
 *
 * Spurious readiness: ev.pod asks every program to expect a readiness
 * notification for an fd that is not ready any more (use non-blocking fds),
 * and the completion backends give them, libev's own io_uring and linuxaio
 * ones too: a one-shot poll completes when its fd becomes ready and is
 * reported at the next poll even if the fd was drained in between. Played
 * against a real run (`play(actual)`), the model therefore requires every
 * io event the fd is ready for when the poll starts, and also accepts the
 * events the watcher's fd was ready for at some moment since the previous
 * poll, whether the watcher was active then or not: a watcher stopped and
 * started again between two polls leaves its fd's interest as it was, so
 * libev changes nothing in the kernel (fd_reify acts on a changed interest
 * only) and a poll that completed before the stop is reported to it.
 * libev's own io_uring backend does exactly that, and the differential
 * test checks it against this model as it checks libev's epoll. What the
 * run reported is then what the model invokes, so the callbacks' effects
 * stay in step.
 */

import { CHECK, IDLE, PREPARE, READ, TIMER, WRITE } from '../../src/index.js';
import type { Action, Call, End, Script, Trace } from './script.js';

interface ChannelState {
  kind: 'pipe' | 'sock' | 'efd';
  /** Bytes (or the eventfd counter) readable at each end. */
  readable: [number, number];
}

interface WatcherState {
  active: boolean;
  /** io: channel, end and events, as last set. */
  chan: number;
  end: End;
  events: number;
  /** Timers: the iteration count after which it is due (started before that poll). */
  dueAfter: number;
  pending: number;
  /** io: the events its fd was ready for at some moment since the last poll (active or not). */
  seen: number;
}

export class LibevModel {
  readonly #script: Script;
  readonly #chans: ChannelState[];
  readonly #w: WatcherState[];
  #iteration = 0;

  constructor(script: Script) {
    this.#script = script;
    this.#chans = script.channels.map((kind) => ({ kind, readable: [0, 0] }));
    this.#w = script.watchers.map((w) => ({
      active: false,
      chan: w.kind === 'io' ? w.chan : -1,
      end: w.kind === 'io' ? w.end : 0,
      events: w.kind === 'io' ? w.events : 0,
      dueAfter: 0,
      pending: 0,
      seen: 0,
    }));
  }

  /**
   * Plays the whole script; the trace of its run steps. With `actual`, the
   * trace of a real run, io events that libev permits as spurious are taken
   * from it (see the module notes); any other difference shows in the result.
   */
  play(actual?: Trace): Trace {
    const trace: Trace = [];
    let run = 0;
    for (const step of this.#script.steps) {
      switch (step.op) {
        case 'start':
          this.#start(step.w);
          break;
        case 'stop':
          this.#stop(step.w);
          break;
        case 'set': {
          const w = this.#w[step.w]!;
          w.chan = step.chan;
          w.end = step.end;
          w.events = step.events;
          w.seen = 0;
          break;
        }
        case 'modify':
          this.#w[step.w]!.events = step.events;
          this.#w[step.w]!.seen = 0;
          break;
        case 'write':
          this.#write(step.chan, step.end, step.n);
          break;
        case 'drain':
          this.#drain(step.chan, step.end);
          break;
        case 'run':
          trace.push([this.#iterate(actual?.[run]?.[0])]);
          run++;
          break;
      }
    }
    return trace;
  }

  /** Whether the next iteration has something to report: `once` would not block. */
  wouldWake(): boolean {
    return this.#w.some((w, id) => {
      if (!w.active) return false;
      const kind = this.#script.watchers[id]!.kind;
      if (kind === 'io') return (this.#ready(w.chan, w.end) & w.events) !== 0;
      if (kind === 'timer') return this.#dueNext(id);
      // Prepare and check watchers run every iteration but do not stop it from blocking.
      return kind === 'idle';
    });
  }

  /** The generator's view: plays one step. */
  step(step: Script['steps'][number]): void {
    const saved = this.#script.steps;
    (this.#script as { steps: Script['steps'] }).steps = [step];
    this.play();
    (this.#script as { steps: Script['steps'] }).steps = saved;
  }

  get activeCount(): number {
    return this.#w.filter((w) => w.active).length;
  }

  isActive(id: number): boolean {
    return this.#w[id]!.active;
  }

  #dueNext(id: number): boolean {
    const spec = this.#script.watchers[id]!;
    return spec.kind === 'timer' && spec.after === 0 && this.#w[id]!.dueAfter <= this.#iteration;
  }

  #ready(chan: number, end: End): number {
    const c = this.#chans[chan]!;
    let r = 0;
    if (c.readable[end] > 0) r |= READ;
    // A pipe's write end, both socket ends and an eventfd are always
    // writable here (the script never fills a buffer); a pipe's read end never.
    if (!(c.kind === 'pipe' && end === 0)) r |= WRITE;
    return r;
  }

  #write(chan: number, end: End, n: number): void {
    const c = this.#chans[chan]!;
    if (c.kind === 'efd') c.readable[0] += n;
    else if (c.kind === 'pipe')
      c.readable[0] += n; // written at end 1, read at end 0
    else c.readable[end === 0 ? 1 : 0] += n;
    this.#noteReadiness();
  }

  /** Remembers what each io watcher's fd is ready for now (see `seen`). */
  #noteReadiness(): void {
    this.#script.watchers.forEach((s, id) => {
      const w = this.#w[id]!;
      if (s.kind === 'io') w.seen |= this.#ready(w.chan, w.end) & w.events;
    });
  }

  #drain(chan: number, end: End): void {
    this.#chans[chan]!.readable[end] = 0;
  }

  #start(id: number): void {
    const w = this.#w[id]!;
    if (w.active) return;
    w.active = true;
    // ev_timer_start: ev_at = mn_now + after, due once the next poll has moved the clock on.
    w.dueAfter = this.#iteration;
  }

  #stop(id: number): void {
    const w = this.#w[id]!;
    w.pending = 0; // clear_pending
    w.active = false;
  }

  #feed(id: number, revents: number): void {
    this.#w[id]!.pending |= revents;
  }

  /** Invokes everything pending, highest priority first (ev_invoke_pending). */
  #invoke(calls: Call[]): void {
    for (let pri = 2; pri >= -2; pri--) {
      for (;;) {
        // libev takes the last fed first within a priority; the trace does
        // not depend on it (the generator keeps callbacks from starting or
        // stopping watchers of their own priority or above, and from
        // writing where a drain of their own priority could read).
        let id = -1;
        for (let i = this.#w.length - 1; i >= 0 && id < 0; i--) {
          if (this.#w[i]!.pending !== 0 && this.#script.watchers[i]!.pri === pri) id = i;
        }
        if (id < 0) break;
        const w = this.#w[id]!;
        const revents = w.pending;
        w.pending = 0;
        calls.push([id, revents]);
        const spec = this.#script.watchers[id]!;
        if (spec.kind === 'io' || spec.kind === 'timer') this.#act(id, spec.action);
      }
    }
  }

  #act(id: number, action: Action): void {
    switch (action.do) {
      case 'none':
        return;
      case 'drain': {
        const w = this.#w[id]!;
        if (this.#script.watchers[id]!.kind === 'io') this.#drain(w.chan, w.end);
        return;
      }
      case 'stop':
        this.#stop(id);
        return;
      case 'write':
        this.#write(action.chan, action.end, action.n);
        return;
      case 'start':
        this.#start(action.target);
        return;
      case 'stopOther':
        this.#stop(action.target);
        return;
    }
  }

  #iterate(actual?: Call[]): Call[] {
    const calls: Call[] = [];
    const specs = this.#script.watchers;
    // Prepare watchers, queued and invoked before the poll.
    specs.forEach((s, id) => {
      if (s.kind === 'prepare' && this.#w[id]!.active) this.#feed(id, PREPARE);
    });
    this.#invoke(calls);
    // The poll: level-triggered io.
    specs.forEach((s, id) => {
      const w = this.#w[id]!;
      if (s.kind !== 'io') return;
      const seen = w.seen;
      w.seen = 0; // from here on: since this poll
      if (!w.active) return;
      const required = this.#ready(w.chan, w.end) & w.events;
      let r = required;
      if (actual) {
        let got = 0;
        for (const [cid, rev] of actual) if (cid === id) got |= rev;
        // What the run reported, if it holds every required event and only permitted ones.
        if ((required & ~got) === 0 && (got & ~(required | seen)) === 0) r = got;
      }
      if (r !== 0) this.#feed(id, r);
    });
    // Timers due: a one-shot is stopped before its callback is queued.
    specs.forEach((s, id) => {
      const w = this.#w[id]!;
      if (s.kind !== 'timer' || !w.active || !this.#dueNext(id)) return;
      w.active = false;
      this.#feed(id, TIMER);
    });
    // Idle: the highest priority with idles and nothing pending at or above it.
    for (let pri = 2; pri >= -2; pri--) {
      if (this.#w.some((w, id) => w.pending !== 0 && specs[id]!.pri === pri)) break;
      const idles = specs
        .map((_s, id) => id)
        .filter(
          (id) => specs[id]!.kind === 'idle' && specs[id]!.pri === pri && this.#w[id]!.active,
        );
      if (idles.length > 0) {
        for (const id of idles) this.#feed(id, IDLE);
        break;
      }
    }
    specs.forEach((s, id) => {
      if (s.kind === 'check' && this.#w[id]!.active) this.#feed(id, CHECK);
    });
    this.#invoke(calls);
    this.#iteration++;
    return calls;
  }
}
