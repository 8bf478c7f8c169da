import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    pool: 'forks',
    // Packing, installing from tarballs and building the addon take minutes, not seconds.
    testTimeout: 300_000,
    hookTimeout: 300_000,
  },
});
