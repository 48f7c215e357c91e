/**
 * An item's result against what its capture recorded, and against a run's expectation (docs/runs.md).
 * Pure: the replay engine, the CLI's reports and the app's Run view all judge with these.
 */
import type { Outcome } from '../log/entry.ts';
import type { Comparison, Expectation, ObservedOutcome } from './api-types.ts';
import type { RecordedOutcome } from './types.ts';

/** An engine or history outcome as the fields a capture records: kind, status, error type (a transport error's code) and message. */
export function observedOutcome(outcome: Outcome): ObservedOutcome {
  switch (outcome.kind) {
    case 'success':
      return { kind: 'success', status: outcome.status };
    case 'service-error':
      return { kind: 'service-error', status: outcome.status, errorType: outcome.errorType, message: outcome.message };
    case 'transport-error':
      return { kind: 'transport-error', errorType: outcome.code, message: outcome.message };
    default:
      return { kind: 'cancelled', message: outcome.message };
  }
}

/**
 * A validation error: its message says which member failed and why, so for these the message is
 * compared too (other messages carry request ids, times and wording that may change between runs).
 */
export function isValidationError(outcome: RecordedOutcome): boolean {
  return outcome.errorType === 'ValidationException' || outcome.errorType === 'ValidationError' || outcome.status === 400;
}

const KIND_WORDS: Record<RecordedOutcome['kind'], string> = {
  success: 'success',
  'service-error': 'service error',
  'transport-error': 'transport error',
  cancelled: 'cancelled',
};

/** Messages are quoted in a change at most this long (characters), with … where cut. */
const QUOTED_MAX = 80;

/** The text quoted, cut to QUOTED_MAX characters around `from` (where two messages start to differ). */
function quoted(text: string, from = 0): string {
  const chars = Array.from(normalized(text));
  const start = from + 20 > QUOTED_MAX ? Math.min(from - 20, Math.max(0, chars.length - QUOTED_MAX)) : 0;
  const end = start + QUOTED_MAX;
  return `“${start > 0 ? '…' : ''}${chars.slice(start, end).join('')}${end < chars.length ? '…' : ''}”`;
}

/** Where two texts start to differ, in characters. */
function firstDifference(a: string, b: string): number {
  const x = Array.from(a);
  const y = Array.from(b);
  let i = 0;
  while (i < x.length && i < y.length && x[i] === y[i]) i++;
  return i;
}

const shown = (value: string | number | undefined): string => (value === undefined ? 'none' : String(value));

/**
 * Same when kind, status and error type match and, when both are validation errors (error type
 * ValidationException / ValidationError, or status 400) and both hold a message, the messages match
 * (whitespace runs count as one space). What the capture did not keep is not compared: a message, and
 * an error type when the kind is the same (a HAR without x-amzn-ErrorType, a browser's transport error). Otherwise each difference is one short sentence:
 * "status 200 → 400", "error type none → ValidationException", "message “…” → “…”"; a change of kind
 * alone (nothing else tells it) is "success → cancelled".
 */
export function compareWithRecorded(recorded: RecordedOutcome, observed: ObservedOutcome): Comparison {
  const changes: string[] = [];
  if (recorded.status !== observed.status) changes.push(`status ${shown(recorded.status)} → ${shown(observed.status)}`);
  // A capture that kept no error type (a HAR without x-amzn-ErrorType, a browser's transport error) is not
  // contradicted by the one seen now, unless the kind changed too.
  if (recorded.errorType !== observed.errorType && (recorded.errorType !== undefined || recorded.kind !== observed.kind))
    changes.push(`error type ${shown(recorded.errorType)} → ${shown(observed.errorType)}`);
  if (recorded.kind !== observed.kind && changes.length === 0) changes.push(`${KIND_WORDS[recorded.kind]} → ${KIND_WORDS[observed.kind]}`);
  if (
    isValidationError(recorded) &&
    isValidationError(observed) &&
    recorded.message !== undefined &&
    observed.message !== undefined &&
    normalized(recorded.message) !== normalized(observed.message)
  ) {
    const from = firstDifference(normalized(recorded.message), normalized(observed.message));
    changes.push(`message ${quoted(recorded.message, from)} → ${quoted(observed.message, from)}`);
  }
  return { same: changes.length === 0, changes };
}

function normalized(message: string): string {
  return message.replace(/\s+/g, ' ').trim();
}

/**
 * Whether an item's result meets the run's expectation:
 * - `recorded`: the same as the recorded outcome (compareWithRecorded). An item without a recorded
 *   outcome cannot be compared: it passes, and runs count it apart ("no recorded outcome").
 * - `2xx`: a status from 200 to 299.
 * - a number: that HTTP status.
 */
export function meetsExpectation(expect: Expectation, observed: ObservedOutcome, recorded?: RecordedOutcome): boolean {
  if (expect === 'recorded') return recorded === undefined || compareWithRecorded(recorded, observed).same;
  if (expect === '2xx') return observed.status !== undefined && observed.status >= 200 && observed.status <= 299;
  return observed.status === expect;
}

/** An item's result judged: its comparison (when it has a recorded outcome) and, with an expectation, whether it passed. */
export function judge(
  observed: ObservedOutcome,
  recorded: RecordedOutcome | undefined,
  expect: Expectation | undefined,
): { comparison?: Comparison; passed?: boolean } {
  const comparison = recorded ? compareWithRecorded(recorded, observed) : undefined;
  if (expect === undefined) return comparison ? { comparison } : {};
  const passed = expect === 'recorded' ? (comparison?.same ?? true) : meetsExpectation(expect, observed);
  return comparison ? { comparison, passed } : { passed };
}

/** `recorded`, `2xx` or an HTTP status from 100 to 599, as typed (a flag, a setting); undefined otherwise. */
export function parseExpectation(text: string): Expectation | undefined {
  const t = text.trim().toLowerCase();
  if (t === 'recorded' || t === '2xx') return t;
  if (!/^\d{3}$/.test(t)) return undefined;
  const status = Number(t);
  return status >= 100 && status <= 599 ? status : undefined;
}

/** What an expectation asks, in words: "the recorded outcome", "a 2xx status", "status 404". */
export function describeExpectation(expect: Expectation): string {
  return expect === 'recorded' ? 'the recorded outcome' : expect === '2xx' ? 'a 2xx status' : `status ${expect}`;
}

/** An outcome in a few words: "200", "400 ValidationException", "transport error refused", "cancelled". */
export function describeOutcome(outcome: RecordedOutcome): string {
  if (outcome.kind === 'success') return outcome.status !== undefined ? String(outcome.status) : 'success';
  if (outcome.kind === 'service-error')
    return [outcome.status, outcome.errorType].filter((part) => part !== undefined).join(' ') || 'service error';
  if (outcome.kind === 'transport-error') return `transport error${outcome.errorType ? ` ${outcome.errorType}` : ''}`;
  return 'cancelled';
}
