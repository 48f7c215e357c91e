/**
 * HeartbeatApi's `captures` and `runs` groups (docs/captures.md, docs/runs.md): a capture is streamed to the host in
 * text chunks and indexed there (the page only ever holds the rows it shows); a run replays a capture's
 * items through the send engine and reports each item's result, compared with what was recorded.
 */
import type { CaptureFormat, CaptureItem, CaptureProblem, CaptureSkip, FormatGuess, RecordedOutcome } from './types.ts';

export interface CaptureOpenRequest {
  /** The file's name (for messages, sources `name:line` and the format guess). */
  name: string;
  /** Read as this format; default: detected from the name and the first chunk. */
  format?: CaptureFormat;
  /** The file's size in bytes, when known (for progress). */
  size?: number;
}

export interface CaptureInfo {
  id: string;
  name: string;
  /** The format the capture is read as. */
  format: CaptureFormat;
  /** What detection guessed, and why (the user may reopen as another format). */
  guess?: FormatGuess;
  /** reading: chunks are still coming or being indexed; ready: the whole text is indexed. */
  state: 'reading' | 'ready' | 'failed';
  /** Runnable items so far. */
  items: number;
  problems: number;
  skipped: number;
  /** Items holding a recorded outcome. */
  recorded: number;
  /** Items per operation. */
  operations: Record<string, number>;
  /** Characters indexed so far, and the size given at open (for progress). */
  bytesRead: number;
  size?: number;
  /** Why reading failed (state 'failed'). */
  error?: string;
}

/** Outcome of sending an item now: the same shape as what a capture records, to compare them field by field. */
export type ObservedOutcome = RecordedOutcome;

/** How an item's result compares with its recorded outcome. */
export interface Comparison {
  same: boolean;
  /** What changed, one sentence each ("status 200 → 400", "error type: none → ValidationException", "message: … → …"). */
  changes: string[];
}

/** What a run checks each item against: its recorded outcome, any 2xx, or one HTTP status. */
export type Expectation = 'recorded' | '2xx' | number;

export interface RunItemResult {
  /** The item's index in the capture. */
  index: number;
  outcome: ObservedOutcome;
  /** Milliseconds from the first attempt to the answer, backoff included. */
  latencyMs: number;
  attempts: number;
  /** The history entry of the send (open it in the inspector). */
  historyId?: string;
  /** Against the recorded outcome, when the item has one. */
  comparison?: Comparison;
  /** False when the run's expectation is not met (undefined without an expectation). */
  passed?: boolean;
}

/** One row of a capture's table: the item without its body, and its result in the run asked for. */
export interface CaptureRow extends Omit<CaptureItem, 'body'> {
  result?: RunItemResult;
}

export type RunFilter = 'all' | 'failed' | 'differs';

export interface CaptureRowsQuery {
  offset: number;
  /** At most 1,000. */
  limit: number;
  /** Rows carry this run's results; filters other than 'all' need it. */
  runId?: string;
  /** failed: the run's failed items; differs: items whose result differs from the recorded outcome. */
  filter?: RunFilter;
}

export interface CaptureRows {
  /** Rows matching the filter (so far). */
  total: number;
  rows: CaptureRow[];
}

/** Problems and skipped parts of a capture, a page at a time. */
export interface CaptureIssues {
  problems: CaptureProblem[];
  skipped: CaptureSkip[];
}

/** Timestamps as sent (as `replay --rewrite-timestamps`): as recorded; every one now; all moved by one offset so the first item's latest is now. */
export type TimestampRewrite = 'keep' | 'now' | 'shift';

export interface RunStartRequest {
  captureId: string;
  target: import('../api.ts').TargetSpec;
  credentials: import('../api.ts').CredentialRef;
  /** Sends in flight, default 8, at most 256. */
  concurrency?: number;
  /** Sends per second at most. */
  ratePerSecond?: number;
  /** Attempts per item (1: no retry); default the host setting, as the composer's sends. */
  maxAttempts?: number;
  timestamps?: TimestampRewrite;
  /** Device rename template, as `replay --device-name` ({n}: the item's 1-based number in the run, {name}: its DeviceName). */
  deviceName?: string;
  /** Fleet override, as `replay --fleet-name`. */
  fleetName?: string;
  expect?: Expectation;
  /** Only these items (capture indexes), e.g. a run's failed items for Re-run failed; default all. */
  items?: number[];
  /** Re-run: the run whose results this run's items replace (the table and exports show both together). */
  base?: string;
}

export interface RunState {
  id: string;
  captureId: string;
  state: 'running' | 'paused' | 'cancelling' | 'finished' | 'cancelled' | 'failed';
  /** ISO 8601. */
  startedAt: string;
  expect?: Expectation;
  /** Items in the run. */
  total: number;
  done: number;
  ok: number;
  failed: number;
  /** Items compared with a recorded outcome: the same / changed. */
  same: number;
  differs: number;
  /** Items that did not meet the expectation. */
  expectationFailed: number;
  failedByType: Record<string, number>;
  ratePerSecond: number;
  elapsedMs: number;
  p50Ms?: number;
  p99Ms?: number;
  error?: string;
}

export type RunExportFormat = 'jsonl' | 'junit';
