import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    pool: 'forks',
    // Each test must leave the fds and kernel mappings as it found them.
    setupFiles: ['../../test-support/leak-check.ts'],
    // Packing, installing from tarballs and building the addon take minutes, not seconds.
    testTimeout: 300_000,
    hookTimeout: 300_000,
  },
});
