/**
 * HAR 1.2 captures (docs/captures.md#har): the app's history export (one entry per line), Chromium and
 * Firefox devtools, Playwright's `recordHar`, Postman. The text is scanned as it arrives — brackets and
 * strings only, no tree — to find `log.entries` and each entry's text and first line; each entry is then
 * parsed on its own, so memory holds one entry, and entries come out as soon as they are closed.
 */
import { isOperation, type Operation } from '../model/index.ts';
import { answered, item, parseBody, problem, skip, sourceOf } from './records.ts';
import type { CaptureRecord, RecordedOutcome } from './types.ts';

/** The largest HAR read: 512 MiB of text (counted in UTF-16 code units); the rest is a problem. */
export const MAX_HAR_CHARS = 512 * 1024 * 1024;

const QUOTE = 34;
const BACKSLASH = 92;
const NEWLINE = 10;
const COLON = 58;
const OPEN_OBJECT = 123;
const CLOSE_OBJECT = 125;
const OPEN_ARRAY = 91;
const CLOSE_ARRAY = 93;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** The operation a URL's path names (its last segment: `…/SendHeartbeat`), and the path. */
export function operationOfUrl(url: string): { operation?: Operation; path: string } {
  const noQuery = url.replace(/[?#].*$/s, '');
  const path = /^[a-z][a-z0-9+.-]*:\/\/[^/]*(\/.*)?$/is.exec(noQuery)?.[1] ?? (noQuery.startsWith('/') ? noQuery : '/');
  const last = path.replace(/\/+$/, '').split('/').pop() ?? '';
  return isOperation(last) ? { operation: last, path } : { path };
}

function decodeBase64(text: string): string | undefined {
  try {
    const binary = atob(text);
    const bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    return new TextDecoder().decode(bytes);
  } catch {
    return undefined;
  }
}

/** What a HAR entry says the answer was: status, error type (x-amzn-ErrorType or the body's __type), message. */
export function harOutcome(entry: Record<string, unknown>): RecordedOutcome {
  const response = isObject(entry.response) ? entry.response : {};
  const error = str(entry._error) ?? str(response._error) ?? str(response._failureText) ?? str(entry._failureText);
  const status = typeof response.status === 'number' ? response.status : 0;
  // No status: no answer came (the error says why). An error beside a status (Playwright's net::ERR_ABORTED
  // when a page leaves a body unread) is about the body's download: the answer stands.
  if (status <= 0) return error ? { kind: 'transport-error', message: error } : { kind: 'transport-error' };
  const headers = Array.isArray(response.headers) ? response.headers : [];
  const header = headers.find((h) => isObject(h) && str(h.name)?.toLowerCase() === 'x-amzn-errortype') as { value?: unknown } | undefined;
  const content = isObject(response.content) ? response.content : {};
  let text = str(content.text);
  if (text !== undefined && content.encoding === 'base64') text = decodeBase64(text);
  const body = text ? parseBody(text) : undefined;
  const fields = isObject(body) ? body : {};
  const rawType = str(header?.value) ?? str(fields.__type);
  // x-amzn-ErrorType may carry ":<url>"; __type may carry a namespace before "#".
  const errorType = rawType?.split(':')[0]?.split('#').pop() || undefined;
  const message = str(fields.message) ?? str(fields.Message);
  return answered(status, errorType, message);
}

/** An entry of a HAR as a record: an item, a skip (not an Edge Manager request), or a problem. */
function entryRecord(value: unknown, name: string, line: number, source: string, number: number): CaptureRecord {
  const where = (text: string): CaptureRecord => ({ problem: { line, source, problem: text } });
  if (!isObject(value)) return where(`entry ${number} is not a JSON object`);
  const request = value.request;
  if (!isObject(request) || typeof request.url !== 'string') return where(`entry ${number} has no request URL`);
  const url = request.url;
  const method = (str(request.method) ?? '').toUpperCase();
  const { operation, path } = operationOfUrl(url);
  if (!operation) return skip(name, line, `${method || 'a request'} ${path} is not an Edge Manager operation`, url, source);
  if (method !== 'POST')
    return skip(
      name,
      line,
      `${method ? `${/^[AEIOU]/.test(method) ? 'an' : 'a'} ${method} request` : 'a request without a method'} to ${path}: Edge Manager operations are POST requests`,
      url,
      source,
    );
  const postData = isObject(request.postData) ? request.postData : {};
  let body = str(postData.text);
  if (body !== undefined && postData.encoding === 'base64') body = decodeBase64(body);
  if (body === undefined) return where(`entry ${number} (${operation}) has no request body (request.postData.text)`);
  return item({ operation, body, line, source, url, recorded: harOutcome(value) });
}

export class HarReader {
  private stack: number[] = [];
  private inString = false;
  private escaped = false;
  private collecting = false;
  private collected = '';
  private lastString = '';
  private keys: string[] = ['', '', ''];
  private inEntries = false;
  private sawEntries = false;
  private entryParts: string[] | undefined;
  private entryFrom = 0;
  private entryLine = 0;
  private entries = 0;
  /** Whether the entry being read starts its line (else it is known by its number: `name#entry N`). */
  private entryStartsLine = true;
  /** Whether anything but white space came before, on the current line. */
  private lineHasText = false;
  private line = 1;
  private total = 0;
  private state: 'start' | 'scan' | 'done' | 'stopped' = 'start';

  constructor(
    private readonly name: string,
    private readonly maxChars: number = MAX_HAR_CHARS,
  ) {}

  push(chunk: string, out: CaptureRecord[]): void {
    if (this.state === 'stopped' || chunk.length === 0) return;
    if (this.total === 0 && chunk.charCodeAt(0) === 0xfeff) chunk = chunk.slice(1);
    let over = false;
    if (this.total + chunk.length > this.maxChars) {
      chunk = chunk.slice(0, this.maxChars - this.total);
      over = true;
    }
    this.total += chunk.length;
    this.scan(chunk, out);
    if (over && !this.stopped()) {
      this.stop(
        out,
        this.line,
        `the HAR is larger than ${this.maxChars === MAX_HAR_CHARS ? '512 MiB' : `${this.maxChars} characters`}: what follows line ${this.line} is not read`,
      );
    }
  }

  end(out: CaptureRecord[]): void {
    if (this.state === 'stopped') return;
    if (this.state === 'start') out.push(problem(this.name, 1, 'the file is empty: no HAR document'));
    else if (!this.sawEntries) out.push(problem(this.name, 1, 'the file is not a HAR: it has no log.entries list'));
    else if (this.entryParts)
      out.push({
        problem: {
          ...this.entryWhere(),
          problem: `the HAR ends inside entry ${this.entries} (the file is cut short)`,
        },
      });
    else if (this.stack.length > 0)
      out.push(problem(this.name, this.line, 'the HAR ends before its JSON is closed (the file is cut short)'));
    this.state = 'stopped';
  }

  private stopped(): boolean {
    return this.state === 'stopped';
  }

  private stop(out: CaptureRecord[], line: number, why: string): void {
    out.push(problem(this.name, line, why));
    this.state = 'stopped';
    this.entryParts = undefined;
  }

  /** Where the entry being read is: `name:line` when it starts its line, else `name#entry N` with N as its line. */
  private entryWhere(): { line: number; source: string } {
    return this.entryStartsLine
      ? { line: this.entryLine, source: sourceOf(this.name, this.entryLine) }
      : { line: this.entries, source: `${this.name}#entry ${this.entries}` };
  }

  private scan(chunk: string, out: CaptureRecord[]): void {
    const stack = this.stack;
    const n = chunk.length;
    for (let i = 0; i < n; i++) {
      const c = chunk.charCodeAt(i);
      if (this.inString) {
        // Inside a string: jump to its closing quote (one not escaped by an odd run of backslashes).
        // (A raw line break cannot be inside a JSON string; one that is is not counted.)
        let from = i;
        if (this.escaped) {
          this.escaped = false;
          from = i + 1;
        }
        let q = chunk.indexOf('"', from);
        while (q !== -1) {
          let k = 0;
          while (q - 1 - k >= from && chunk.charCodeAt(q - 1 - k) === BACKSLASH) k++;
          if ((k & 1) === 0) break;
          q = chunk.indexOf('"', q + 1);
        }
        if (q === -1) {
          let k = 0;
          while (n - 1 - k >= from && chunk.charCodeAt(n - 1 - k) === BACKSLASH) k++;
          this.escaped = (k & 1) === 1;
          if (this.collecting && this.collected.length < 64) this.collected += chunk.slice(i, Math.min(n, i + 64));
          break;
        }
        if (this.collecting)
          this.lastString = this.collected.length < 64 ? this.collected + chunk.slice(i, Math.min(q, i + 64)) : this.collected;
        this.inString = false;
        i = q;
        continue;
      }
      switch (c) {
        case NEWLINE:
          this.line++;
          this.lineHasText = false;
          break;
        case 32:
        case 9:
        case 13:
          break;
        case 44:
          this.lineHasText = true;
          break;
        case QUOTE:
          this.lineHasText = true;
          this.inString = true;
          this.collecting = stack.length <= 2;
          this.collected = '';
          break;
        case COLON:
          this.lineHasText = true;
          if (stack.length <= 2) this.keys[stack.length] = this.lastString;
          break;
        case OPEN_OBJECT:
        case OPEN_ARRAY: {
          const depth = stack.length;
          if (this.state === 'start') {
            if (c !== OPEN_OBJECT) return this.stop(out, this.line, 'the file is not a HAR: it does not start with a JSON object');
            this.state = 'scan';
          } else if (this.state === 'done') break;
          if (depth === 3 && this.inEntries && c === OPEN_OBJECT) {
            this.entries++;
            this.entryParts = [];
            this.entryFrom = i;
            this.entryLine = this.line;
            this.entryStartsLine = !this.lineHasText;
          } else if (depth === 2 && c === OPEN_ARRAY && this.keys[1] === 'log' && this.keys[2] === 'entries' && stack[1] === OPEN_OBJECT) {
            this.inEntries = true;
            this.sawEntries = true;
          }
          stack.push(c);
          this.lineHasText = true;
          break;
        }
        case CLOSE_OBJECT:
        case CLOSE_ARRAY: {
          this.lineHasText = true;
          if (this.state === 'done') break;
          const open = stack.pop();
          if (open === undefined || (open === OPEN_OBJECT) !== (c === CLOSE_OBJECT)) {
            const closer = String.fromCharCode(c);
            const due = open === undefined ? 'closes nothing' : `stands where a "${open === OPEN_OBJECT ? '}' : ']'}" is due`;
            return this.stop(out, this.line, `the HAR is not valid JSON: a "${closer}" on line ${this.line} ${due}`);
          }
          const depth = stack.length;
          if (depth === 3 && this.entryParts) {
            this.entryParts.push(chunk.slice(this.entryFrom, i + 1));
            this.entry(this.entryParts.length === 1 ? this.entryParts[0]! : this.entryParts.join(''), out);
            this.entryParts = undefined;
          } else if (depth === 2 && this.inEntries) this.inEntries = false;
          else if (depth === 0) this.state = 'done';
          break;
        }
        default:
          this.lineHasText = true;
          if (this.state === 'start') return this.stop(out, this.line, 'the file is not a HAR: it does not start with a JSON object');
      }
    }
    if (this.entryParts) {
      this.entryParts.push(chunk.slice(this.entryFrom));
      this.entryFrom = 0;
    }
  }

  private entry(text: string, out: CaptureRecord[]): void {
    const number = this.entries;
    const { line, source } = this.entryWhere();
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      out.push({ problem: { line, source, problem: `entry ${number} is not valid JSON` } });
      return;
    }
    out.push(entryRecord(value, this.name, line, source, number));
  }
}
