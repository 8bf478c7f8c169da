import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    pool: 'forks',
    // Each test must leave the fds and kernel mappings as it found them.
    setupFiles: ['../../test-support/leak-check.ts'],
  },
});
