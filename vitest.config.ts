import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineConfig } from 'vitest/config';
import vue from '@vitejs/plugin-vue';

/**
 * No test reads or writes the user's own settings, keys, environments or history: the run has its own
 * configuration and history folders (a test that wants others still names them; child processes inherit
 * these). Temporary files go into the run's folder too (TMPDIR), removed when the run ends
 * (test/global-setup.ts), so runs leave nothing behind in /tmp.
 */
const scratch = mkdtempSync(join(tmpdir(), 'hb-test-run-'));
mkdirSync(join(scratch, 'tmp'));
process.env.HEARTBEAT_TEST_SCRATCH = scratch;

export default defineConfig({
  plugins: [vue()],
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    globalSetup: ['test/global-setup.ts'],
    env: {
      HEARTBEAT_CONFIG_DIR: join(scratch, 'config'),
      HEARTBEAT_HISTORY_DIR: join(scratch, 'history'),
      TMPDIR: join(scratch, 'tmp'),
    },
  },
});
