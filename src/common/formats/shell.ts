/**
 * POSIX shell words: quoting a value so bash passes it through unchanged, and splitting a pasted
 * command line back into its words (what bash would hand to the program, without running anything).
 */

// Characters that never need quoting in any POSIX shell word position we emit.
const BARE = /^[A-Za-z0-9_\-.,:/@%+=]+$/;

/**
 * Quotes `value` as one shell word. Single quotes keep everything literal ($, `, \, ", newlines,
 * non-ASCII); a single quote itself is written as '\'' (close, escaped quote, reopen).
 */
export function shellQuote(value: string): string {
  if (BARE.test(value)) return value;
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

export interface ShellWord {
  text: string;
  /** Offset of the word's first character in the command line. */
  offset: number;
}

export interface ShellSplit {
  words: ShellWord[];
  /** Sentences about what could not be split faithfully (unclosed quotes, expansions left literal). */
  problems: { message: string; offset: number }[];
}

const ANSI_C: Record<string, string> = {
  a: '\x07',
  b: '\b',
  e: '\x1b',
  E: '\x1b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  '\\': '\\',
  "'": "'",
  '"': '"',
  '?': '?',
};

/** Reads a $'...' ANSI-C quoted string starting after the opening quote; returns the text and the index after the closing quote. */
function readAnsiC(line: string, start: number): { text: string; end: number } | undefined {
  let text = '';
  for (let i = start; i < line.length; i++) {
    const c = line[i];
    if (c === "'") return { text, end: i + 1 };
    if (c !== '\\' || i + 1 >= line.length) {
      text += c;
      continue;
    }
    const n = line[++i];
    if (n in ANSI_C) text += ANSI_C[n];
    else if (n === 'x' || n === 'u' || n === 'U') {
      const max = n === 'x' ? 2 : n === 'u' ? 4 : 8;
      const hex = /^[0-9a-fA-F]+/.exec(line.slice(i + 1, i + 1 + max))?.[0] ?? '';
      if (!hex) text += `\\${n}`;
      else text += String.fromCodePoint(Math.min(parseInt(hex, 16), 0x10ffff));
      i += hex.length;
    } else if (/[0-7]/.test(n)) {
      const oct = /^[0-7]{1,3}/.exec(line.slice(i, i + 3))![0];
      text += String.fromCharCode(parseInt(oct, 8) & 0xff);
      i += oct.length - 1;
    } else text += `\\${n}`;
  }
  return undefined;
}

/**
 * Splits a command line as bash would, for the quoting bash does: whitespace between words,
 * '...', "..." (with \\ \" \$ \` and line continuations), $'...', backslash escapes and
 * backslash-newline continuations, and # comments at the start of a word. Variable and command
 * expansions are not run: they stay literal and are reported.
 */
export function splitShellWords(line: string): ShellSplit {
  const words: ShellWord[] = [];
  const problems: ShellSplit['problems'] = [];
  let current: string | undefined;
  let start = 0;
  const begin = (at: number): void => {
    if (current === undefined) {
      current = '';
      start = at;
    }
  };
  const finish = (): void => {
    if (current !== undefined) words.push({ text: current, offset: start });
    current = undefined;
  };
  let i = 0;
  while (i < line.length) {
    const c = line[i];
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      finish();
      i++;
    } else if (c === '#' && current === undefined) {
      while (i < line.length && line[i] !== '\n') i++;
    } else if (c === '\\') {
      if (line[i + 1] === '\n') i += 2;
      else if (line[i + 1] === '\r' && line[i + 2] === '\n') i += 3;
      else {
        begin(i);
        if (i + 1 < line.length) current += line[i + 1];
        i += 2;
      }
    } else if (c === "'") {
      begin(i);
      const close = line.indexOf("'", i + 1);
      if (close === -1) {
        problems.push({ message: 'A single quote is never closed.', offset: i });
        current += line.slice(i + 1);
        i = line.length;
      } else {
        current += line.slice(i + 1, close);
        i = close + 1;
      }
    } else if (c === '$' && line[i + 1] === "'") {
      begin(i);
      const read = readAnsiC(line, i + 2);
      if (!read) {
        problems.push({ message: "A $'...' string is never closed.", offset: i });
        i = line.length;
      } else {
        current += read.text;
        i = read.end;
      }
    } else if (c === '"') {
      begin(i);
      let j = i + 1;
      let closed = false;
      while (j < line.length) {
        const d = line[j];
        if (d === '"') {
          closed = true;
          break;
        }
        if (d === '\\' && j + 1 < line.length && '$`"\\\n'.includes(line[j + 1])) {
          if (line[j + 1] !== '\n') current += line[j + 1];
          j += 2;
          continue;
        }
        if ((d === '$' && /[A-Za-z_{(]/.test(line[j + 1] ?? '')) || d === '`')
          problems.push({ message: `The expansion at offset ${j} is not run; it is kept as written.`, offset: j });
        current += d;
        j++;
      }
      if (!closed) problems.push({ message: 'A double quote is never closed.', offset: i });
      i = j + 1;
    } else {
      begin(i);
      if ((c === '$' && /[A-Za-z_{(]/.test(line[i + 1] ?? '')) || c === '`')
        problems.push({ message: `The expansion at offset ${i} is not run; it is kept as written.`, offset: i });
      if (c === '|' || c === ';' || c === '&' || c === '<' || c === '>')
        problems.push({ message: `The shell operator "${c}" at offset ${i} is not supported; give a single command.`, offset: i });
      current += c;
      i++;
    }
  }
  finish();
  return { words, problems };
}
