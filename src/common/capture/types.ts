/**
 * Captures: files of many requests a user opens to replay (docs/captures.md). What every format is read
 * into, what a run of a capture reports per item, and the HeartbeatApi groups `captures` and `runs`.
 * Data types only: the readers are in ./reader.ts (incremental, text in), the comparison in ./compare.ts.
 */
import type { Operation } from '../model/index.ts';

/**
 * Every format a capture can be read as:
 * - `ndjson`: one payload (a request body) per line; also `{operation, body}` lines (a fleet run log, `fleet run --dry-run`).
 * - `history-jsonl`: the app's (and `heartbeat history export`'s) JSON lines: request lines, joined with their outcome lines by id.
 * - `endpoint-capture`: the embedded endpoint's capture: exchange lines, each with its verdict.
 * - `har`: HAR 1.2 (the app's export, Chromium or Firefox devtools, Postman); entries that are not Edge Manager requests are skipped.
 * - `curl`: curl commands (the app's "Copy as curl" included), one after another, `\` continuations allowed.
 * - `aws-cli`: `aws sagemaker-edge …` command lines, one after another.
 * - `cli-input-json` / `cli-input-yaml`: one request document (a capture of one item).
 */
export type CaptureFormat =
  'ndjson' | 'history-jsonl' | 'endpoint-capture' | 'har' | 'curl' | 'aws-cli' | 'cli-input-json' | 'cli-input-yaml';

export const CAPTURE_FORMATS: readonly CaptureFormat[] = [
  'ndjson',
  'history-jsonl',
  'endpoint-capture',
  'har',
  'curl',
  'aws-cli',
  'cli-input-json',
  'cli-input-yaml',
];

/** What a capture says happened when the item was first sent (only some formats hold it). */
export interface RecordedOutcome {
  /** success: a 2xx answer; service-error: an AWS error answer; transport-error: no answer (connection refused, timeout…); cancelled. */
  kind: 'success' | 'service-error' | 'transport-error' | 'cancelled';
  /** The HTTP status, when an answer came. */
  status?: number;
  /** x-amzn-ErrorType (service error) or the transport code (transport error). */
  errorType?: string;
  /** The error's message (for a ValidationException, the validation message). */
  message?: string;
}

/** One request of a capture, ready to send. */
export interface CaptureItem {
  /** 0-based, in file order, over runnable items only. */
  index: number;
  operation: Operation;
  /** The wire JSON body, as text. */
  body: string;
  /** Where it is in the file: 1-based line (of a HAR: the line its entry starts on, or its entry number when unknown). */
  line: number;
  /** `name:line` (or `name#entry N` for a HAR whose entry lines are unknown), for messages and reports. */
  source: string;
  /** DeviceName / DeviceFleetName of the body, when it has them (for the table). */
  device?: string;
  fleet?: string;
  /** The outcome the capture recorded, when it holds one. */
  recorded?: RecordedOutcome;
  /** Where the capture says it was sent (curl URL, aws --endpoint-url, HAR URL), informational. */
  url?: string;
}

/** A part of a capture that could not be read: shown with its line and why; the rest stays runnable. */
export interface CaptureProblem {
  line: number;
  source: string;
  problem: string;
}

/** A part of a capture that is readable but is not an Edge Manager request (e.g. a HAR entry for another site). */
export interface CaptureSkip {
  line: number;
  source: string;
  /** Its URL, when it has one. */
  url?: string;
  reason: string;
}

export type CaptureRecord = { item: CaptureItem } | { problem: CaptureProblem } | { skip: CaptureSkip };

/** The format detection's guess and why (shown to the user, who may correct it). */
export interface FormatGuess {
  format: CaptureFormat;
  /** E.g. "the first line is an exchange line of the endpoint's capture". */
  reason: string;
}
