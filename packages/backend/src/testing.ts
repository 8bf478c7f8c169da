/**
 * `@evring/backend/testing`: the conformance suite every backend runs, the
 * fault injector, and fd fixtures. Needs vitest (a peer dependency).
 *
 * @module
 */
export { type ConformanceTarget, describeConformance } from './testing/conformance.js';
export { type Fault, FaultInjector } from './testing/fault-injector.js';
export { closeQuietly, drain, FdScope, poke } from './testing/fixtures.js';
