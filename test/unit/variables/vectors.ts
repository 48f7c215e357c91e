/** The shared vectors (test/fixtures/variables/cases.json): the common resolver's unit test, the CLI's test and the e2e check them. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Operation } from '../../../src/common/model/index.ts';

export interface VectorCase {
  name: string;
  operation: Operation;
  /** The request's JSON text with placeholders. */
  template: string;
  environment?: { name: string; variables: Record<string, string> };
  /** Overrides (--var). */
  vars?: Record<string, string>;
  /** Epoch seconds: what {{now}} is. */
  now: number;
  /** Feeds {{uuid}} and {{random}} (heartbeat send --seed). */
  seed: number;
  /** The text sent; absent when the case is refused. */
  expected?: string;
  substitutions?: Array<{ placeholder: string; value: string }>;
  /** The placeholders that cannot be resolved. */
  problems?: string[];
}

export const VECTORS: VectorCase[] = (
  JSON.parse(readFileSync(join(import.meta.dirname, '../../fixtures/variables/cases.json'), 'utf8')) as { cases: VectorCase[] }
).cases;
