// The import rules of the repository, checked by test/imports.test.ts with
// dependency-cruiser: no import circle inside a package, and no import that
// goes up the chain abi → sys → backend → backend-* → loop → cli.
//
// Tests obey the chain too: a package's tests import only what its code may.
//
// A circle counts when it would exist at run time. Type-only imports are
// erased by the compiler and can never make a module see another one half
// loaded; the public types of the loop are mutually referential by nature
// (`watcher.loop` is a `Loop`, `loop.io()` returns an `IoWatcher`), so an
// `import type` may close a circle and nothing else may.

/** The layers, lowest first; a package may import only from its own layer's allowed set. */
const LAYERS = [
  ['abi'],
  ['sys'],
  ['backend'],
  ['backend-epoll'],
  // The AIO and io_uring backends fall back to epoll for what they cannot do.
  ['backend-linuxaio', 'backend-iouring'],
  ['loop'],
  ['cli'],
];

/** Rules forbidding each package to import from the layers above it, and its siblings. */
function layerRules() {
  const rules = [];
  LAYERS.forEach((layer, i) => {
    const above = LAYERS.slice(i + 1).flat();
    for (const pkg of layer) {
      const forbidden = [...above, ...layer.filter((p) => p !== pkg)];
      if (forbidden.length === 0) continue;
      const names = forbidden.map((p) => p.replace('-', '\\-')).join('|');
      rules.push({
        name: `${pkg}-not-upward`,
        comment: `@evring/${pkg} may import only the packages below it in the chain`,
        severity: 'error',
        from: { path: `^packages/${pkg}/(src|test)/` },
        to: { path: `^packages/(${names})/` },
      });
    }
  });
  return rules;
}

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'an import circle that survives compilation',
      severity: 'error',
      from: { path: '^packages/[^/]+/src/' },
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
    {
      name: 'resolvable',
      comment: 'an import that does not resolve would escape every other rule (build first: imports of packages resolve to their dist)',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
    ...layerRules(),
  ],
  options: {
    // Type-only imports are seen (and labelled), so the circle rule can tell them apart.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    doNotFollow: { path: ['node_modules', '/dist/'] },
    exclude: { path: ['/fixtures/'] },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'types', 'default'],
      extensions: ['.ts', '.js', '.d.ts'],
    },
  },
};
