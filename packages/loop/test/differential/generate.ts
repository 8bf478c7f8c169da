/**
 * Random but legal scripts (see script.ts), from a seed: fast-check's
 * arbitraries, so that a divergence shrinks to a minimal script.
 */

import fc from 'fast-check';
import { LibevModel } from './model.js';
import {
  type Action,
  type ChannelKind,
  type End,
  IO_EVENTS,
  type Script,
  type Step,
  type Watcher,
} from './script.js';

const PRIS = [-2, -1, 0, 1, 2] as const;

interface Plan {
  channels: ChannelKind[];
  watchers: Watcher[];
  /** Raw choices, turned into legal steps against the model. */
  choices: number[][];
}

function channelEnds(kind: ChannelKind): End[] {
  return kind === 'efd' ? [0] : [0, 1];
}

/** Where a write may go: a pipe's write end, either socket end, an eventfd. */
function writable(kind: ChannelKind, end: End): boolean {
  return !(kind === 'pipe' && end === 0);
}

const arbPlan: fc.Arbitrary<Plan> = fc
  .array(fc.constantFrom<ChannelKind>('pipe', 'sock', 'efd'), { minLength: 1, maxLength: 3 })
  .chain((channels) => {
    const endOf = (chan: number, pick: number): End => {
      const ends = channelEnds(channels[chan]!);
      return ends[pick % ends.length]!;
    };
    const writeTarget = (c: number, e: number) => {
      const chan = c % channels.length;
      let end = endOf(chan, e);
      if (!writable(channels[chan]!, end)) end = 1;
      return { chan, end };
    };
    return fc.integer({ min: 2, max: 7 }).chain((count) =>
      fc
        .tuple(
          fc.array(
            fc.tuple(
              fc.nat(9),
              fc.nat(7),
              fc.nat(3),
              fc.nat(2),
              fc.constantFrom(...PRIS),
              fc.nat(1),
            ),
            { minLength: count, maxLength: count },
          ),
          fc.array(fc.array(fc.nat(1000), { minLength: 4, maxLength: 4 }), {
            minLength: 4,
            maxLength: 40,
          }),
          fc.array(
            fc.tuple(
              fc.nat(9),
              fc.nat(7),
              fc.nat(3),
              fc.integer({ min: 1, max: 100 }),
              fc.nat(count),
            ),
            { minLength: count, maxLength: count },
          ),
        )
        .map(([specs, choices, actions]): Plan => {
          const watchers: Watcher[] = specs.map(([k, c, e, ev, pri, after], id) => {
            const [ak, ac, ae, an, at] = actions[id]!;
            let action: Action;
            if (ak <= 2) action = { do: 'none' };
            else if (ak <= 4) action = { do: 'drain' };
            else if (ak === 5) action = { do: 'stop' };
            else if (ak === 6) action = { do: 'write', ...writeTarget(ac, ae), n: an };
            else action = { do: ak === 7 ? 'start' : 'stopOther', target: at % count };
            if (k <= 5) {
              const chan = c % channels.length;
              return { kind: 'io', chan, end: endOf(chan, e), events: IO_EVENTS[ev]!, pri, action };
            }
            if (k === 6) return { kind: 'timer', after: after === 0 ? 0 : 1000, pri, action };
            return { kind: k === 7 ? 'idle' : k === 8 ? 'prepare' : 'check', pri };
          });
          // Callbacks reach only strictly lower priorities: anything else becomes 'none'.
          for (const w of watchers) {
            if (w.kind !== 'io' && w.kind !== 'timer') continue;
            const a = w.action;
            if ((a.do === 'start' || a.do === 'stopOther') && !(watchers[a.target]!.pri < w.pri)) {
              w.action = { do: 'none' };
            }
          }
          // Within a priority libev runs the last fed first, and which fd a
          // backend reports last no model can know. A write and a drain of
          // the same priority do not commute (what the next poll sees
          // depends on which ran first), so where a priority has a drain,
          // its writes become 'none' (a set step may move the drainer to
          // any channel).
          for (const w of watchers) {
            if ((w.kind !== 'io' && w.kind !== 'timer') || w.action.do !== 'write') continue;
            const drained = watchers.some(
              (o) => o.kind === 'io' && o.pri === w.pri && o.action.do === 'drain',
            );
            if (drained) w.action = { do: 'none' };
          }
          return { channels, watchers, choices };
        }),
    );
  });

/** Turns raw choices into steps that are legal in libev, using the model to know the state. */
export function toScript(plan: Plan): Script {
  const script: Script = { channels: plan.channels, watchers: plan.watchers, steps: [] };
  const model = new LibevModel({ ...script, steps: [] });
  const n = plan.watchers.length;
  for (const [k, a, b, c] of plan.choices) {
    let step: Step;
    const id = a! % n;
    const w = plan.watchers[id]!;
    const kind = k! % 10;
    if (kind <= 2)
      step = { op: 'run', mode: c! % 3 === 0 && model.wouldWake() ? 'once' : 'nowait' };
    else if (kind <= 4) step = model.isActive(id) ? { op: 'stop', w: id } : { op: 'start', w: id };
    else if (kind === 5) {
      const chan = b! % plan.channels.length;
      let end = channelEnds(plan.channels[chan]!)[
        (c! % 2) % channelEnds(plan.channels[chan]!).length
      ]!;
      if (!writable(plan.channels[chan]!, end)) end = 1;
      step = { op: 'write', chan, end, n: 1 + (c! % 100) };
    } else if (kind === 6) {
      const chan = b! % plan.channels.length;
      const ends = channelEnds(plan.channels[chan]!);
      step = { op: 'drain', chan, end: ends[c! % ends.length]! };
    } else if (kind === 7 && w.kind === 'io' && !model.isActive(id)) {
      // ev_io_set and ev_io_modify: only on an inactive watcher.
      const chan = b! % plan.channels.length;
      const ends = channelEnds(plan.channels[chan]!);
      step = { op: 'set', w: id, chan, end: ends[c! % ends.length]!, events: IO_EVENTS[c! % 3]! };
    } else if (kind === 8 && w.kind === 'io' && !model.isActive(id)) {
      step = { op: 'modify', w: id, events: IO_EVENTS[b! % 3]! };
    } else {
      step = { op: 'run', mode: 'nowait' };
    }
    script.steps.push(step);
    model.step(step);
  }
  return script;
}

/** Random legal scripts. */
export const arbScript: fc.Arbitrary<Script> = arbPlan.map(toScript);
