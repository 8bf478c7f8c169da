/**
 * How JavaScript enters sys's hot calls, which run once per event.
 *
 * @module
 */

import { native } from './load.js';

/**
 * The two ways a hot call is entered: `'v8'`, straight from V8 as a plain
 * function, or `'node-api'`, through Node-API's trampoline.
 *
 * @example
 * ```ts
 * import { type HotCallEntry, hotCallEntry } from '@evring/sys';
 * const direct: boolean = hotCallEntry === ('v8' satisfies HotCallEntry);
 * ```
 */
export type HotCallEntry = 'v8' | 'node-api';

/**
 * How this process enters the hot calls (`read`, `write`, `send`, `recv`,
 * `eventfdRead`, `eventfdWrite`, `epollWait`, `IoUring.enter`, and
 * `ioSubmit` of poll iocbs on an ordinary AIO context).
 *
 * `'v8'` when the running Node is the major sys was compiled against (a
 * build from source always is): on this repository's benchmark machine
 * that made each call several hundred instructions cheaper, about a tenth
 * of an event's time on a pipe. `'node-api'` otherwise (a prebuilt binary
 * on another major: Node-API is stable across majors, V8's API is not), or
 * when the environment variable `EVRING_SYS_NODE_API=1` asks for it. The
 * calls behave the same either way: the same results, and every unusual
 * argument goes to the same checked code, which throws the same errors.
 *
 * @example
 * ```ts
 * import { hotCallEntry } from '@evring/sys';
 * console.log(`sys hot calls entered through ${hotCallEntry}`);
 * ```
 */
export const hotCallEntry: HotCallEntry = native.hotCallEntry;
