/**
 * `@evring/backend/testing`: the conformance suite every backend runs, the
 * fault injector, fd fixtures, and a token ring served as the loop serves it. Needs vitest (a peer dependency).
 *
 * @module
 */
export { type ConformanceTarget, describeConformance } from './testing/conformance.js';
export { type Fault, FaultInjector } from './testing/fault-injector.js';
export { closeQuietly, drain, FdScope, poke, readableNow } from './testing/fixtures.js';
export { type TokenRing, tokenRing } from './testing/token-ring.js';
