/**
 * The line-based JSON captures (docs/captures.md): `ndjson` (payload lines and `{operation, body}` lines of a
 * fleet run log or dry run, as `heartbeat replay` has always read them, history and capture lines included),
 * and `history-jsonl` / `endpoint-capture` (history and capture lines only, each checked field by field).
 *
 * A history request line waits for its outcome line (same id) to carry what was recorded: the app's export
 * writes the outcome right after its request, a live history file may write it later. Items wait at most
 * HOLD_LINES lines; then they leave without a recorded outcome. Records always leave in file order.
 */
import { asLogLine, checkHistoryLine, isRunLine, type HistoryLine } from '../log/entry.ts';
import { isOperation, type Operation } from '../model/index.ts';
import { observedOutcome } from './compare.ts';
import type { TextLine } from './lines.ts';
import { answered, item, problem, skip, sourceOf } from './records.ts';
import type { CaptureItem, CaptureRecord, RecordedOutcome } from './types.ts';

/** How many lines an item may wait for its outcome line. */
export const HOLD_LINES = 1000;

/** What a fleet run log line says happened (`status`, `errorType`); undefined for a dry run's line. */
function runLogOutcome(line: Record<string, unknown>): RecordedOutcome | undefined {
  if (!('status' in line)) return undefined;
  const errorType = typeof line.errorType === 'string' ? line.errorType : undefined;
  if (typeof line.status === 'number') return answered(line.status, errorType);
  if (errorType?.startsWith('transport:')) return { kind: 'transport-error', errorType: errorType.slice('transport:'.length) };
  if (errorType === 'cancelled') return { kind: 'cancelled' };
  return undefined;
}

interface Held {
  record: CaptureRecord;
  line: number;
  /** The id of the request line whose outcome the item waits for. */
  waitingFor?: string;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export class JsonLinesReader {
  private held: Held[] = [];
  private head = 0;
  private waiting = new Map<string, Held>();

  constructor(
    private readonly name: string,
    /** ndjson: payloads too; log: history and capture lines only. */
    private readonly mode: 'ndjson' | 'log',
    private readonly operation: Operation,
  ) {}

  line(line: TextLine, out: CaptureRecord[]): void {
    const record = this.read(line);
    if (record) this.hold(record, out);
    this.release(line.number, out);
  }

  end(out: CaptureRecord[]): void {
    this.release(Infinity, out);
  }

  private hold(held: Held, out: CaptureRecord[]): void {
    if (this.head === this.held.length && held.waitingFor === undefined) out.push(held.record);
    else this.held.push(held);
  }

  /** Lets go of items that waited long enough (all at the end), then of everything up to the first item still waiting. */
  private release(number: number, out: CaptureRecord[]): void {
    while (this.head < this.held.length) {
      const first = this.held[this.head]!;
      if (first.waitingFor !== undefined) {
        if (number - first.line < HOLD_LINES) break;
        this.waiting.delete(first.waitingFor);
        first.waitingFor = undefined;
      }
      out.push(first.record);
      this.head++;
    }
    if (this.head === this.held.length) {
      this.held = [];
      this.head = 0;
    } else if (this.head > 4096) {
      this.held = this.held.slice(this.head);
      this.head = 0;
    }
  }

  private read(line: TextLine): Held | undefined {
    const { name } = this;
    const at = line.number;
    if (line.text === undefined) return { record: problem(name, at, line.problem ?? 'the line cannot be read'), line: at };
    const text = line.text;
    if (!text.trim()) return undefined;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      const why = text.includes('\uFFFD') ? 'the line is not UTF-8 text' : 'the line is not JSON (a torn or foreign line)';
      return { record: problem(name, at, why), line: at };
    }
    if (this.mode === 'log' || isRunLine(value) || asLogLine(value) || (isObject(value) && value.v === 1 && value.type === 'forget')) {
      const checked = checkHistoryLine(value);
      if ('problem' in checked)
        return {
          record: problem(name, at, `the line is not a valid history or capture line: ${checked.problem}`),
          line: at,
        };
      return this.logged(checked.line, at);
    }
    if (!isObject(value)) return { record: problem(name, at, 'the line is not a JSON object'), line: at };
    // A fleet run log or `fleet run --dry-run` line: {"operation", "body", …} (a payload has neither member).
    const planned = value as { operation?: unknown; body?: unknown };
    if (typeof planned.operation === 'string' && isOperation(planned.operation) && isObject(planned.body)) {
      const recorded = runLogOutcome(value);
      return {
        record: item({
          operation: planned.operation,
          body: JSON.stringify(planned.body),
          parsed: planned.body,
          line: at,
          source: sourceOf(name, at),
          ...(recorded ? { recorded } : {}),
        }),
        line: at,
      };
    }
    return { record: item({ operation: this.operation, body: text, parsed: value, line: at, source: sourceOf(name, at) }), line: at };
  }

  private logged(line: HistoryLine, at: number): Held | undefined {
    const { name } = this;
    switch (line.type) {
      case 'request': {
        if (!isOperation(line.operation))
          return {
            record: problem(name, at, `the captured request was for an unknown operation (${JSON.stringify(line.operation)})`),
            line: at,
          };
        const held: Held = {
          record: item({ operation: line.operation, body: line.request.body, line: at, source: sourceOf(name, at), url: line.request.url }),
          line: at,
          waitingFor: line.id,
        };
        const earlier = this.waiting.get(line.id);
        if (earlier) earlier.waitingFor = undefined;
        this.waiting.set(line.id, held);
        return held;
      }
      case 'outcome': {
        const held = this.waiting.get(line.id);
        if (held) {
          (held.record as { item: CaptureItem }).item.recorded = observedOutcome(line.outcome);
          held.waitingFor = undefined;
          this.waiting.delete(line.id);
        }
        return undefined;
      }
      case 'exchange': {
        const url = line.request.url;
        if (line.operation === 'unknown')
          return { record: skip(name, at, 'the endpoint could not tell which operation the request was for', url), line: at };
        if (!isOperation(line.operation))
          return {
            record: problem(name, at, `the captured request was for an unknown operation (${JSON.stringify(line.operation)})`),
            line: at,
          };
        const { status, errorType, message } = line.verdict;
        return {
          record: item({
            operation: line.operation,
            body: line.request.body,
            line: at,
            source: sourceOf(name, at),
            url,
            recorded: answered(status, errorType, message),
          }),
          line: at,
        };
      }
      default:
        // Run and forget lines: no request to send.
        return undefined;
    }
  }
}
