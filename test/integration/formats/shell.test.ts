import { spawnSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { shellQuote, splitShellWords } from '../../../src/common/formats/shell.ts';
import { awkwardText } from '../../unit/formats/arbitraries.ts';

describe('shellQuote', () => {
  it("leaves plain words bare and single-quotes the rest, escaping a quote as '\\''", () => {
    expect(shellQuote('camera-01')).toBe('camera-01');
    expect(shellQuote('')).toBe("''");
    expect(shellQuote("it's $HOME")).toBe("'it'\\''s $HOME'");
  });

  it('survives bash: printf %s of the quoted word prints the value unchanged', () => {
    const values = [
      ...fc.sample(awkwardText, { numRuns: 300, seed: 11 }),
      "'",
      "''",
      '\\',
      '$(touch /tmp/never)',
      '`id`',
      '!!',
      'a\nb',
      'é😀中文',
      ' lead',
      'trail ',
      '*',
      '~',
    ];
    // One bash for all values: each printed with a NUL after it.
    const script = values.map((v) => `printf '%s\\0' ${shellQuote(v)}`).join('\n');
    const run = spawnSync('bash', ['-c', script], { encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout.split('\0').slice(0, -1)).toEqual(values);
  });
});

describe('splitShellWords', () => {
  it("splits as bash does: quotes, escapes, $'...', continuations and comments", () => {
    const line = `aws  sagemaker-edge send-heartbeat \\\n  --agent-version 'a b' --device-name "d\\"q\\$x" --x $'tab\\there\\'s' plain\\ word # comment`;
    expect(splitShellWords(line).words.map((w) => w.text)).toEqual([
      'aws',
      'sagemaker-edge',
      'send-heartbeat',
      '--agent-version',
      'a b',
      '--device-name',
      'd"q$x',
      '--x',
      "tab\there's",
      'plain word',
    ]);
  });

  it('agrees with bash on every quoted value', () => {
    fc.assert(
      fc.property(fc.array(awkwardText, { minLength: 1, maxLength: 4 }), (values) => {
        const split = splitShellWords(values.map(shellQuote).join(' '));
        expect(split.problems).toEqual([]);
        expect(split.words.map((w) => w.text)).toEqual(values);
      }),
      { numRuns: 300 },
    );
  });

  it('reports what it cannot split faithfully', () => {
    expect(splitShellWords("echo 'open").problems[0].message).toMatch(/never closed/);
    expect(splitShellWords('echo "$HOME"').problems[0].message).toMatch(/not run/);
    expect(splitShellWords('a | b').problems[0].message).toMatch(/operator/);
  });
});
