/**
 * Text in chunks split anywhere → whole lines (docs/captures.md#reading). A line ends at "\n"; a "\r" before
 * it is dropped; a "\uFEFF" at the very start of the text is dropped. A line longer than MAX_CAPTURE_LINE
 * characters is not kept: it comes out as its number with a problem, and what follows is read on.
 */

/** The longest line a line-based capture may hold: 16 MiB (counted in UTF-16 code units of the decoded text). */
export const MAX_CAPTURE_LINE = 16 * 1024 * 1024;

export interface TextLine {
  /** 1-based. */
  number: number;
  /** Without its line break; undefined when the line was too long to keep. */
  text?: string;
  problem?: string;
}

export class LineSplitter {
  private parts: string[] = [];
  private length = 0;
  private tooLong = false;
  private number = 0;
  private started = false;

  constructor(private readonly maxLine: number = MAX_CAPTURE_LINE) {}

  /** The lines completed by `chunk`, in order. */
  push(chunk: string, out: TextLine[] = []): TextLine[] {
    if (!this.started && chunk.length > 0) {
      this.started = true;
      if (chunk.charCodeAt(0) === 0xfeff) chunk = chunk.slice(1);
    }
    let start = 0;
    while (start < chunk.length) {
      const newline = chunk.indexOf('\n', start);
      const stop = newline === -1 ? chunk.length : newline;
      if (!this.tooLong) {
        if (this.length + stop - start > this.maxLine) {
          this.tooLong = true;
          this.parts = [];
        } else if (stop > start) this.parts.push(start === 0 && stop === chunk.length ? chunk : chunk.slice(start, stop));
      }
      this.length += stop - start;
      if (newline === -1) break;
      out.push(this.line());
      start = newline + 1;
    }
    return out;
  }

  /** The last line, when the text does not end with a line break. */
  end(out: TextLine[] = []): TextLine[] {
    if (this.length > 0 || this.tooLong) out.push(this.line());
    return out;
  }

  /** Lines completed so far. */
  get lines(): number {
    return this.number;
  }

  private line(): TextLine {
    this.number++;
    const number = this.number;
    let line: TextLine;
    if (this.tooLong)
      line = {
        number,
        problem: `the line is longer than ${this.maxLine === MAX_CAPTURE_LINE ? '16 MiB' : `${this.maxLine} characters`} (${this.length} characters); it is not read`,
      };
    else {
      let text = this.parts.length === 1 ? this.parts[0]! : this.parts.join('');
      if (text.charCodeAt(text.length - 1) === 13) text = text.slice(0, -1);
      line = { number, text };
    }
    this.parts = [];
    this.length = 0;
    this.tooLong = false;
    return line;
  }
}
