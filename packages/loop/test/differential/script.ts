/**
 * The operation sequences the differential test plays: a script of legal
 * libev operations on a small world of channels (pipes, socketpairs,
 * eventfds) and watchers (io at priorities −2..2, timers, idle, prepare,
 * check), with `run('nowait' | 'once')` steps. The same script runs on
 * evring (runner.ts), on the model of libev's rules (model.ts) and, where
 * libev is installed, on libev itself in C (libev-runner.ts): each prints
 * one trace, and the traces must be equal.
 *
 * Generated scripts keep every outcome defined by libev: a callback's own
 * effects (stop itself, drain its fd, write to a channel) show in the next
 * iteration, and it may start or stop only watchers of a strictly lower
 * priority, which libev invokes after it; `once` is played only when
 * something is ready, so it never blocks.
 */

import { PREPARE, READ, WRITE } from '../../src/index.js';

export type ChannelKind = 'pipe' | 'sock' | 'efd';
/** Which end of a channel: a pipe's read (0) or write (1) end, a socketpair's a (0) or b (1); an eventfd has one (0). */
export type End = 0 | 1;

/** What a callback does when invoked. */
export type Action =
  | { do: 'none' }
  | { do: 'drain' }
  | { do: 'stop' }
  | { do: 'write'; chan: number; end: End; n: number }
  | { do: 'start'; target: number }
  | { do: 'stopOther'; target: number };

export type Watcher =
  | { kind: 'io'; chan: number; end: End; events: number; pri: number; action: Action }
  | { kind: 'timer'; after: 0 | 1000; pri: number; action: Action }
  | { kind: 'idle' | 'prepare' | 'check'; pri: number };

export type Step =
  | { op: 'start' | 'stop'; w: number }
  | { op: 'set'; w: number; chan: number; end: End; events: number }
  | { op: 'modify'; w: number; events: number }
  | { op: 'write'; chan: number; end: End; n: number }
  | { op: 'drain'; chan: number; end: End }
  | { op: 'run'; mode: 'nowait' | 'once' };

export interface Script {
  channels: ChannelKind[];
  watchers: Watcher[];
  steps: Step[];
}

/** One invocation: watcher id and revents. */
export type Call = [id: number, revents: number];
/** Per run step, per iteration, the invocations in order. */
export type Trace = Call[][][];

export const IO_EVENTS = [READ, WRITE, READ | WRITE] as const;

/**
 * A trace as text, one iteration a line, invocations grouped by priority
 * (highest first) and sorted within a group: libev leaves the order of
 * events of equal priority to the kernel.
 */
export function normalize(trace: Trace, script: Script): string {
  const phase = (calls: Call[]): string => {
    const groups = new Map<number, string[]>();
    for (const [id, revents] of calls) {
      const pri = script.watchers[id]!.pri;
      const g = groups.get(pri) ?? [];
      groups.set(pri, g);
      g.push(`w${id}:${revents.toString(16)}`);
    }
    // Priorities must come highest first: check the order they were invoked in.
    const seen = calls.map(([id]) => script.watchers[id]!.pri);
    const monotone = seen.every((p, k) => k === 0 || p <= seen[k - 1]!);
    const order = [...groups.keys()].sort((a, b) => b - a);
    const text = order.map((p) => `[${p}: ${groups.get(p)!.sort().join(' ')}]`).join(' ');
    return `${text}${monotone ? '' : ' (PRIORITY ORDER BROKEN)'}`;
  };
  const lines: string[] = [];
  trace.forEach((run, r) => {
    run.forEach((calls, i) => {
      // Prepare watchers run before the poll, everything else after it.
      const pre = calls.filter(([, rev]) => (rev & PREPARE) !== 0);
      const post = calls.filter(([, rev]) => (rev & PREPARE) === 0);
      lines.push(`run ${r} iter ${i}: prepare ${phase(pre)} | ${phase(post)}`);
    });
  });
  return lines.join('\n');
}

/** A script as text, for a divergence report. */
export function describe(script: Script): string {
  const out = [`channels: ${script.channels.map((c, i) => `${i}=${c}`).join(' ')}`];
  script.watchers.forEach((w, i) => {
    out.push(`w${i}: ${JSON.stringify(w)}`);
  });
  for (const s of script.steps) out.push(JSON.stringify(s));
  return out.join('\n');
}

/** The script as lines for the C interpreter (libev-script.c). */
export function toLines(script: Script): string {
  const act = (a: Action): string => {
    switch (a.do) {
      case 'none':
        return 'none 0 0 0';
      case 'drain':
        return 'drain 0 0 0';
      case 'stop':
        return 'stop 0 0 0';
      case 'write':
        return `write ${a.chan} ${a.end} ${a.n}`;
      case 'start':
        return `start ${a.target} 0 0`;
      case 'stopOther':
        return `stopother ${a.target} 0 0`;
    }
  };
  const out: string[] = [];
  for (const c of script.channels) out.push(`chan ${c}`);
  script.watchers.forEach((w) => {
    if (w.kind === 'io') out.push(`io ${w.chan} ${w.end} ${w.events} ${w.pri} ${act(w.action)}`);
    else if (w.kind === 'timer') out.push(`timer ${w.after} ${w.pri} ${act(w.action)}`);
    else out.push(`${w.kind} ${w.pri}`);
  });
  for (const s of script.steps) {
    switch (s.op) {
      case 'start':
      case 'stop':
        out.push(`${s.op} ${s.w}`);
        break;
      case 'set':
        out.push(`set ${s.w} ${s.chan} ${s.end} ${s.events}`);
        break;
      case 'modify':
        out.push(`modify ${s.w} ${s.events}`);
        break;
      case 'write':
        out.push(`write ${s.chan} ${s.end} ${s.n}`);
        break;
      case 'drain':
        out.push(`drain ${s.chan} ${s.end}`);
        break;
      case 'run':
        out.push(`run ${s.mode}`);
        break;
    }
  }
  out.push('end');
  return `${out.join('\n')}\n`;
}
