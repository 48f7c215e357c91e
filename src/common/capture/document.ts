/**
 * One-document captures (docs/captures.md#one-document): cli-input-json and cli-input-yaml, read whole by
 * the composer's importer, ISO 8601 timestamps converted to epoch seconds as the composer does. A JSON
 * document with nothing to convert is sent byte for byte; otherwise the body is the converted document,
 * indented (what the composer would show and send).
 */
import { emitCliInputJson, importText, isError } from '../formats/index.ts';
import { parseJson } from '../json/parse.ts';
import type { Operation } from '../model/index.ts';
import { MAX_CAPTURE_LINE } from './lines.ts';
import { item, problem, sourceOf } from './records.ts';
import type { CaptureRecord } from './types.ts';

/** The largest one-document capture: 16 MiB, as a line. */
export const MAX_DOCUMENT_CHARS = MAX_CAPTURE_LINE;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export class DocumentReader {
  private parts: string[] = [];
  private length = 0;
  private tooLarge = false;

  constructor(
    private readonly name: string,
    private readonly kind: 'cli-input-json' | 'cli-input-yaml',
    private readonly operation: Operation,
    private readonly now?: number,
  ) {}

  push(chunk: string): void {
    if (this.length === 0 && chunk.charCodeAt(0) === 0xfeff) chunk = chunk.slice(1);
    this.length += chunk.length;
    if (this.length > MAX_DOCUMENT_CHARS) {
      this.tooLarge = true;
      this.parts = [];
    } else if (chunk) this.parts.push(chunk);
  }

  end(out: CaptureRecord[]): void {
    const { name } = this;
    if (this.tooLarge) {
      out.push(problem(name, 1, `the document is larger than 16 MiB (${this.length} characters); it is not read`));
      return;
    }
    const text = this.parts.join('');
    this.parts = [];
    const blank = /^(?:[ \t\r]*\n)*/.exec(text)![0];
    const at = (blank.match(/\n/g)?.length ?? 0) + 1;
    if (!text.trim()) {
      out.push(problem(name, 1, 'the file is empty: no request document'));
      return;
    }
    const imported = importText(this.kind, text, this.operation, this.now);
    const errors = imported.problems.filter(isError);
    if (imported.doc === undefined || errors.length > 0) {
      const first = errors[0];
      const more = errors.length > 1 ? ` (and ${errors.length - 1} more problem${errors.length > 2 ? 's' : ''})` : '';
      out.push(problem(name, first?.line ?? at, `${first?.message ?? 'the document could not be read'}${more}`));
      return;
    }
    if (!isObject(imported.doc)) {
      out.push(
        problem(name, at, `the document is not ${this.kind === 'cli-input-json' ? 'a JSON object' : 'a YAML mapping'} of request members`),
      );
      return;
    }
    // As the composer: JSON with nothing converted keeps its bytes.
    const converted =
      this.kind === 'cli-input-yaml' || JSON.stringify(parseJson(text, { positions: false }).value) !== JSON.stringify(imported.doc);
    out.push(
      item({
        operation: this.operation,
        body: converted ? emitCliInputJson(imported.doc) : text,
        parsed: imported.doc,
        line: at,
        source: sourceOf(name, at),
      }),
    );
  }
}
