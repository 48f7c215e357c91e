/** The test run's own folder (vitest.config.ts): removed, with every temporary file of the run, when it ends. */
import { rmSync } from 'node:fs';

export default function setup(): () => void {
  return () => {
    const scratch = process.env.HEARTBEAT_TEST_SCRATCH;
    if (scratch) rmSync(scratch, { recursive: true, force: true, maxRetries: 3 });
  };
}
