/**
 * Methods that work taken off their object: `fs/promises` and `node:fs` are
 * modules, so code takes their functions apart (`import { readFile } from
 * 'node:fs/promises'`), and the same code moved to a loop takes them apart
 * too (`const { readFile } = loop.fs.promises`).
 *
 * @module
 */

/**
 * Gives `target` an own copy of each method of `proto`, bound to `target`.
 * Internal: not exported from the package.
 */
export function bindMethods(target: object, proto: object): void {
  for (const name of Object.getOwnPropertyNames(proto)) {
    if (name === 'constructor') continue;
    const method = Object.getOwnPropertyDescriptor(proto, name)?.value;
    if (typeof method !== 'function') continue; // getters stay on the prototype
    Object.defineProperty(target, name, {
      value: method.bind(target),
      writable: true,
      configurable: true,
      enumerable: false,
    });
  }
}
