/**
 * The AWS CLI shorthand syntax, at the syntactic level: `Key=value,Key=[{A=b},{A=c}],Key={A=b}`.
 *
 * A faithful port of awscli/shorthand.py `ShorthandParser` (Apache-2.0): the same grammar, the same
 * character classes, the same greedy quoted-string regexes and the same backtracking for
 * comma-separated values, so that what we accept, reject and emit matches what `aws` does. Values
 * are untyped strings here; shorthand.ts types them with the model, as the AWS CLI's
 * BackCompatVisitor does.
 */

export type RawShorthand = string | RawShorthand[] | { [key: string]: RawShorthand };

export class ShorthandSyntaxError extends Error {
  constructor(
    message: string,
    /** Index in the parsed text where the problem is. */
    readonly index: number,
  ) {
    super(message);
  }
}

// Character classes of awscli/shorthand.py, with the `u` flag so that, as in Python, a character
// outside the Basic Multilingual Plane is one character and is not in the \uffff-bounded ranges.
// Python's `\\s` and str.isspace(): JavaScript's \\s lacks \\x1c-\\x1f and \\x85 and adds \\ufeff.
const PY_SPACE = '\\t-\\r\\x1c-\\x20\\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
const START_WORD = '!#-&(-+\\--<>-Z\\\\-z|-\\uffff';
const FIRST_FOLLOW = `${PY_SPACE}!#-&(-+\\--\\\\^-|~-\\uffff`;
const SECOND_FOLLOW = `${PY_SPACE}!#-&(-+\\--<>-\\uffff`;
const ESCAPED_COMMA = '(?:\\\\,)';
const FIRST_VALUE = new RegExp(`(?:${ESCAPED_COMMA}|[${START_WORD}])(?:${ESCAPED_COMMA}|[${FIRST_FOLLOW}])*`, 'uy');
const SECOND_VALUE = new RegExp(`(?:${ESCAPED_COMMA}|[${START_WORD}])(?:${ESCAPED_COMMA}|[${SECOND_FOLLOW}])*`, 'uy');
const SINGLE_QUOTED = /'(?:\\'|[^'])*'/uy;
const DOUBLE_QUOTED = /"(?:\\"|[^"])*"/uy;
const KEY_CHARS = /[A-Za-z0-9\-_.#/:]/;
// Python's string.whitespace.
const WHITESPACE = ' \t\n\r\x0b\x0c';
// Python's str.rstrip() strips the same whitespace.
const TRAILING_SPACE = new RegExp(`[${PY_SPACE}]+$`, 'u');

const hasOwn = (o: object, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k);

function setMember(target: Record<string, RawShorthand>, key: string, value: RawShorthand): void {
  // defineProperty keeps "__proto__" an ordinary member instead of changing the prototype.
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

class Parser {
  private index = 0;

  constructor(private readonly input: string) {}

  parse(): Record<string, RawShorthand> {
    const params: Record<string, RawShorthand> = {};
    let [key, value] = this.keyval();
    setMember(params, key, value);
    let lastIndex = this.index;
    while (this.index < this.input.length) {
      this.expect(',', true);
      [key, value] = this.keyval();
      if (hasOwn(params, key))
        throw new ShorthandSyntaxError(
          `Second instance of key "${key}": a key may appear only once (often a "," was written where a space separates list items).`,
          lastIndex + 1,
        );
      setMember(params, key, value);
      lastIndex = this.index;
    }
    return params;
  }

  private keyval(): [string, RawShorthand] {
    const key = this.key();
    this.skipParamfileMarker();
    this.expect('=', true);
    return [key, this.values()];
  }

  private key(): string {
    const start = this.index;
    while (!this.atEof() && KEY_CHARS.test(this.input[this.index])) this.index++;
    return this.input.slice(start, this.index);
  }

  // `Key@=file://...` reads a file in the AWS CLI; we cannot read files here, so say so.
  private skipParamfileMarker(): void {
    this.skipWhitespace();
    if (this.input[this.index] === '@')
      throw new ShorthandSyntaxError(
        '"@=" loads a value from a file, which cannot be done here; write the value itself after "=".',
        this.index,
      );
  }

  private values(): RawShorthand {
    if (this.atEof()) return '';
    if (this.current() === '[') return this.explicitList();
    if (this.current() === '{') return this.hashLiteral();
    return this.csvValue();
  }

  private csvValue(): RawShorthand {
    const first = this.firstValue();
    this.skipWhitespace();
    if (this.atEof() || this.input[this.index] !== ',') return first;
    this.expect(',', true);
    const list: string[] = [first];
    for (;;) {
      try {
        const current = this.secondValue();
        this.skipWhitespace();
        if (this.atEof()) {
          list.push(current);
          break;
        }
        this.expect(',', true);
        list.push(current);
      } catch (error) {
        // `a=b,c=d`: "c" is a key, not a second value; back up to the comma before it.
        if (!(error instanceof ShorthandSyntaxError) || this.atEof()) throw error;
        while (this.index >= 0 && this.input[this.index] !== ',') this.index--;
        break;
      }
    }
    return list.length === 1 ? first : list;
  }

  private explicitList(): RawShorthand[] {
    this.expect('[', true);
    const values: RawShorthand[] = [];
    while (this.current() !== ']') {
      if (this.atEof()) throw this.expected(']');
      values.push(this.explicitValues());
      this.skipWhitespace();
      if (this.atEof()) throw this.expected(']');
      if (this.current() !== ']') {
        this.expect(',');
        this.skipWhitespace();
      }
    }
    this.expect(']');
    return values;
  }

  private explicitValues(): RawShorthand {
    if (this.current() === '[') return this.explicitList();
    if (this.current() === '{') return this.hashLiteral();
    return this.firstValue();
  }

  private hashLiteral(): Record<string, RawShorthand> {
    this.expect('{', true);
    const members: Record<string, RawShorthand> = {};
    while (this.current() !== '}') {
      if (this.atEof()) throw this.expected('}');
      const key = this.key();
      this.skipParamfileMarker();
      this.expect('=', true);
      const value = this.explicitValues();
      this.skipWhitespace();
      if (this.atEof()) throw this.expected('}');
      if (this.current() !== '}') {
        this.expect(',');
        this.skipWhitespace();
      }
      // The AWS CLI keeps the last of duplicate keys inside {...}; so do we.
      setMember(members, key, value);
    }
    this.expect('}');
    return members;
  }

  private firstValue(): string {
    const c = this.current();
    if (c === "'") return this.quoted(SINGLE_QUOTED, "'");
    if (c === '"') return this.quoted(DOUBLE_QUOTED, '"');
    FIRST_VALUE.lastIndex = this.index;
    const m = FIRST_VALUE.exec(this.input);
    if (!m) return '';
    this.index += m[0].length;
    return m[0].replace(/\\,/g, ',').replace(TRAILING_SPACE, '');
  }

  private secondValue(): string {
    const c = this.current();
    if (c === "'") return this.quoted(SINGLE_QUOTED, "'");
    if (c === '"') return this.quoted(DOUBLE_QUOTED, '"');
    SECOND_VALUE.lastIndex = this.index;
    const m = SECOND_VALUE.exec(this.input);
    if (!m) throw new ShorthandSyntaxError('Expected a value.', this.index);
    this.index += m[0].length;
    return m[0].replace(/\\,/g, ',').replace(TRAILING_SPACE, '');
  }

  private quoted(regex: RegExp, quote: string): string {
    regex.lastIndex = this.index;
    const m = regex.exec(this.input);
    if (!m) throw new ShorthandSyntaxError(`A ${quote === "'" ? 'single' : 'double'}-quoted value is never closed.`, this.index);
    this.index += m[0].length;
    return m[0].slice(1, -1).split(`\\${quote}`).join(quote).split('\\\\').join('\\');
  }

  private expect(char: string, skipWhitespace = false): void {
    if (skipWhitespace) this.skipWhitespace();
    if (this.index >= this.input.length || this.input[this.index] !== char) throw this.expected(char);
    this.index++;
    if (skipWhitespace) this.skipWhitespace();
  }

  private expected(char: string): ShorthandSyntaxError {
    const actual = this.atEof() ? 'the end of the value' : `"${String.fromCodePoint(this.input.codePointAt(this.index)!)}"`;
    return new ShorthandSyntaxError(`Expected "${char}" but found ${actual}.`, this.index);
  }

  private current(): string | undefined {
    return this.input[this.index];
  }

  private atEof(): boolean {
    return this.index >= this.input.length;
  }

  private skipWhitespace(): void {
    while (!this.atEof() && WHITESPACE.includes(this.input[this.index])) this.index++;
  }
}

/** Parses one shorthand argument (one shell word) into untyped values. Throws ShorthandSyntaxError. */
export function parseShorthandSyntax(text: string): Record<string, RawShorthand> {
  return new Parser(text).parse();
}

// A value may be written bare when the AWS CLI's first-value regex takes all of it and nothing is
// lost: no leading or trailing space, no comma, quote or bracket, no astral characters.
const BARE_VALUE = new RegExp(`^[${START_WORD}](?:[${FIRST_FOLLOW}])*$`, 'u');

/** A string value as shorthand: bare when that is exact, else quoted with \\ escapes as the AWS CLI reads them. */
export function shorthandString(value: string): string {
  // A trailing backslash would escape the comma after it; a leading ] or } would end a list early.
  if (value !== '' && BARE_VALUE.test(value) && !TRAILING_SPACE.test(value) && !value.endsWith('\\') && !/^[\]}]/.test(value)) return value;
  const quote = value.includes("'") && !value.includes('"') ? '"' : "'";
  return quote + value.replace(/\\/g, '\\\\').split(quote).join(`\\${quote}`) + quote;
}
