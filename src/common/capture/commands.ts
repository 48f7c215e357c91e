/**
 * Captures of shell commands (docs/captures.md#commands): curl commands (the app's "Copy as curl" among
 * them) and `aws sagemaker-edge …` command lines, one after another. A command runs over `\` line
 * continuations and quoted line breaks; a blank line, or a line that starts a new command, ends it. Each
 * is read by the same importer as a paste into the composer.
 */
import { isError, parseAwsCliCommand, parseCurlCommand, splitShellWords, type FormatProblem } from '../formats/index.ts';
import type { Operation } from '../model/index.ts';
import { operationOfUrl } from './har.ts';
import type { TextLine } from './lines.ts';
import { item, problem, skip, sourceOf } from './records.ts';
import type { CaptureRecord } from './types.ts';

const PROMPT = /^\s*\$\s+/;
const STARTS = {
  curl: /^\s*(?:\$\s+)?(?:[A-Za-z_][A-Za-z0-9_]*=\S*\s+)*(?:\S*\/)?curl(?:\s|$)/,
  'aws-cli': /^\s*(?:\$\s+)?(?:[A-Za-z_][A-Za-z0-9_]*=\S*\s+)*(?:\S*\/)?aws(?:\s|$)/,
};

/** Where a line leaves the shell's quoting: open quotes carry the command on to the next line, like a final `\`. */
export type QuoteState = 'none' | 'single' | 'double' | 'ansi';

/** The quoting state after `line`, starting in `state`, and whether the command goes on to the next line. */
export function scanShellLine(line: string, state: QuoteState): { state: QuoteState; continues: boolean } {
  let i = 0;
  const n = line.length;
  while (i < n) {
    const c = line[i];
    if (state === 'single') {
      if (c === "'") state = 'none';
    } else if (state === 'double' || state === 'ansi') {
      if (c === '\\') {
        if (i + 1 >= n) return { state, continues: true };
        i++;
      } else if ((state === 'double' && c === '"') || (state === 'ansi' && c === "'")) state = 'none';
    } else if (c === '\\') {
      if (i + 1 >= n) return { state, continues: true };
      i++;
    } else if (c === "'") state = 'single';
    else if (c === '"') state = 'double';
    else if (c === '$' && line[i + 1] === "'") {
      state = 'ansi';
      i++;
    } else if (c === '#' && (i === 0 || line[i - 1] === ' ' || line[i - 1] === '\t')) break;
    i++;
  }
  return { state, continues: state !== 'none' };
}

function summary(problems: FormatProblem[]): string {
  const errors = problems.filter(isError);
  const first = errors[0]?.message ?? 'the command could not be read';
  return errors.length > 1 ? `${first} (and ${errors.length - 1} more problem${errors.length > 2 ? 's' : ''})` : first;
}

// Options whose value is a URL that is not where the request goes.
const NOT_THE_URL = new Set([
  '-x',
  '--proxy',
  '-e',
  '--referer',
  '-H',
  '--header',
  '-d',
  '--data',
  '--data-binary',
  '--data-raw',
  '--json',
]);

/** The URL a curl command sends to, as written (the importer keeps only its endpoint and operation). */
function curlUrl(text: string): string | undefined {
  const words = splitShellWords(text).words.map((w) => w.text);
  let url: string | undefined;
  for (let i = 1; i < words.length; i++) {
    const word = words[i]!;
    if (word.startsWith('--url=')) url = word.slice('--url='.length);
    else if (/^[a-z][a-z0-9+.-]*:\/\//i.test(word) && !NOT_THE_URL.has(words[i - 1]!)) url = word;
  }
  return url;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export class CommandReader {
  private block: string[] = [];
  private blockLine = 0;
  private quote: QuoteState = 'none';
  private continues = false;

  constructor(
    private readonly name: string,
    private readonly kind: 'curl' | 'aws-cli',
    private readonly operation: Operation,
    private readonly now?: number,
  ) {}

  line(line: TextLine, out: CaptureRecord[]): void {
    if (line.text === undefined) {
      this.flush(out);
      out.push(problem(this.name, line.number, line.problem ?? 'the line cannot be read'));
      return;
    }
    const text = line.text;
    if (!this.continues) {
      if (!text.trim()) return this.flush(out);
      const starts = STARTS[this.kind].test(text);
      if (starts || /^\s*#/.test(text)) this.flush(out);
      if (!starts && /^\s*#/.test(text)) return;
      if (this.block.length === 0) this.blockLine = line.number;
    }
    this.block.push(text);
    const scanned = scanShellLine(text, this.quote);
    this.quote = scanned.state;
    this.continues = scanned.continues;
  }

  end(out: CaptureRecord[]): void {
    this.flush(out);
  }

  private flush(out: CaptureRecord[]): void {
    if (this.block.length === 0) return;
    const text = this.block.join('\n').replace(PROMPT, '');
    const at = this.blockLine;
    this.block = [];
    this.quote = 'none';
    this.continues = false;
    out.push(this.kind === 'curl' ? this.curl(text, at) : this.aws(text, at));
  }

  private curl(text: string, at: number): CaptureRecord {
    const read = parseCurlCommand(text);
    if (read.doc === undefined || read.problems.some(isError)) return problem(this.name, at, summary(read.problems));
    const url = curlUrl(text);
    let operation: Operation = this.operation;
    if (url !== undefined) {
      const named = operationOfUrl(url).operation;
      if (!named) return skip(this.name, at, `the curl command's URL names no Edge Manager operation`, url);
      operation = named;
    }
    if (!isObject(read.doc)) return problem(this.name, at, 'the --data-binary body is not a JSON object of request members');
    return item({
      operation,
      body: JSON.stringify(read.doc),
      parsed: read.doc,
      line: at,
      source: sourceOf(this.name, at),
      ...(url !== undefined ? { url } : {}),
    });
  }

  private aws(text: string, at: number): CaptureRecord {
    const read = parseAwsCliCommand(text, this.now === undefined ? {} : { now: this.now });
    if (read.doc === undefined || read.problems.some(isError)) return problem(this.name, at, summary(read.problems));
    return item({
      operation: read.operation,
      body: JSON.stringify(read.doc),
      parsed: read.doc,
      line: at,
      source: sourceOf(this.name, at),
      ...(read.endpointUrl ? { url: `${read.endpointUrl.replace(/\/+$/, '')}/${read.operation}` } : {}),
    });
  }
}
