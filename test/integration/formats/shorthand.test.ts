import { spawnSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { emitShorthand, parseShorthand } from '../../../src/common/formats/shorthand.ts';
import { parseShorthandSyntax, shorthandString, ShorthandSyntaxError } from '../../../src/common/formats/shorthand-syntax.ts';
import { requestSchema } from '../../../src/common/model/index.ts';
import { validate } from '../../../src/common/validation/validate.ts';
import { awkwardText, heartbeat } from '../../unit/formats/arbitraries.ts';

const schema = requestSchema('SendHeartbeat');
const models = schema.properties!.Models;
const agentMetrics = schema.properties!.AgentMetrics;
const deploymentResult = schema.properties!.DeploymentResult;

describe('shorthand syntax (the AWS CLI grammar)', () => {
  it('reads key=value pairs, nested lists of structures and quoted values', () => {
    expect(parseShorthandSyntax('ModelName=a,ModelVersion=\'x, y\',ModelMetrics=[{MetricName=m,Value=1},{MetricName="n"}]')).toEqual({
      ModelName: 'a',
      ModelVersion: 'x, y',
      ModelMetrics: [{ MetricName: 'm', Value: '1' }, { MetricName: 'n' }],
    });
  });

  it('reads a comma-separated top-level value as a list and backtracks at the next key', () => {
    expect(parseShorthandSyntax('A=a,b,c,B=d')).toEqual({ A: ['a', 'b', 'c'], B: 'd' });
    expect(parseShorthandSyntax('A=a\\,b,B=d')).toEqual({ A: 'a,b', B: 'd' });
  });

  it('unescapes \\\\ and the quote inside quoted values, as the AWS CLI does', () => {
    expect(parseShorthandSyntax(String.raw`A='it\'s',B="say \"hi\"",C='back\\slash'`)).toEqual({
      A: "it's",
      B: 'say "hi"',
      C: 'back\\slash',
    });
  });

  it('strips trailing whitespace from unquoted values and keeps inner spaces', () => {
    expect(parseShorthandSyntax('A=hello world  ,B=x')).toEqual({ A: 'hello world', B: 'x' });
  });

  it('rejects a repeated key with the column of the second one', () => {
    expect(() => parseShorthandSyntax('A=1,A=2')).toThrow(ShorthandSyntaxError);
    try {
      parseShorthandSyntax('A=1,A=2');
    } catch (error) {
      expect((error as ShorthandSyntaxError).index).toBe(4);
      expect((error as Error).message).toMatch(/Second instance of key "A"/);
    }
  });

  it('rejects unclosed lists, structures and quotes', () => {
    for (const bad of ['A=[{B=1}', 'A={B=1', "A='x", 'A', 'A={B=a,b}', 'A=x,'])
      expect(() => parseShorthandSyntax(bad), bad).toThrow(ShorthandSyntaxError);
  });

  it('refuses @= file loading instead of reading a file', () => {
    expect(() => parseShorthandSyntax('A@=file://x')).toThrow(/file/);
  });

  it('keeps __proto__ an ordinary member', () => {
    const parsed = parseShorthandSyntax('__proto__=x');
    expect(Object.getPrototypeOf(parsed)).toBe(Object.prototype);
    expect(Object.keys(parsed)).toEqual(['__proto__']);
  });
});

describe('shorthand typed by the model', () => {
  it('types numbers and timestamps (ISO or epoch) and wraps a single item where a list belongs', () => {
    const read = parseShorthand(
      ['ModelName=resnet,LatestInference=2026-01-01T00:00:00Z,ModelMetrics={MetricName=Latency,Value=1.5,Timestamp=1767225600.5}'],
      models,
      '/Models',
    );
    expect(read.problems).toEqual([]);
    expect(read.doc).toEqual([
      { ModelName: 'resnet', LatestInference: 1767225600, ModelMetrics: [{ MetricName: 'Latency', Value: 1.5, Timestamp: 1767225600.5 }] },
    ]);
  });

  it('takes one word per item of a list of structures', () => {
    const read = parseShorthand(['MetricName=Cpu1,Value=1', 'MetricName=Mem1,Value=2'], agentMetrics, '/AgentMetrics');
    expect(read.doc).toEqual([
      { MetricName: 'Cpu1', Value: 1 },
      { MetricName: 'Mem1', Value: 2 },
    ]);
  });

  it('warns at the path of a value that cannot have the model type, and leaves it for validation', () => {
    const read = parseShorthand(
      ['DeploymentName=d,DeploymentStartTime=yesterday,DeploymentModels=[{ModelName=abcd}]'],
      deploymentResult,
      '/DeploymentResult',
    );
    expect(read.problems.map((p) => [p.path, p.severity])).toEqual([['/DeploymentResult/DeploymentStartTime', 'warning']]);
    const numbers = parseShorthand(['MetricName=Cpu1,Value=high'], agentMetrics, '/AgentMetrics');
    expect(numbers.problems).toEqual([
      { path: '/AgentMetrics/0/Value', message: '/AgentMetrics/0/Value must be a number, not "high".', severity: 'warning' },
    ]);
    expect(numbers.doc).toEqual([{ MetricName: 'Cpu1', Value: 'high' }]);
  });

  it('hints at quoting when commas turned a string into a list', () => {
    const read = parseShorthand(['DeploymentStatusMessage=a,b'], deploymentResult, '/DeploymentResult');
    expect(read.problems[0].path).toBe('/DeploymentResult/DeploymentStatusMessage');
    expect(read.problems[0].message).toMatch(/Quote a value that contains commas/);
  });

  it('reports a syntax error with its column and the item it is in', () => {
    const read = parseShorthand(['MetricName=a', 'MetricName=[b'], agentMetrics, '/AgentMetrics');
    expect(read.doc).toBeUndefined();
    expect(read.problems).toEqual([
      {
        path: '/AgentMetrics/1',
        message: 'Shorthand syntax error in item 2 at column 14: Expected "]" but found the end of the value.',
        line: 1,
        column: 14,
      },
    ]);
  });

  it('quotes exactly the strings that need it', () => {
    expect(shorthandString('plain-value_1.2')).toBe('plain-value_1.2');
    expect(shorthandString('two words')).toBe('two words');
    expect(shorthandString('a,b')).toBe("'a,b'");
    expect(shorthandString("it's")).toBe('"it\'s"');
    expect(shorthandString('x\\')).toBe("'x\\\\'");
    expect(shorthandString('')).toBe("''");
    expect(shorthandString(' lead')).toBe("' lead'");
  });

  it('round-trips every valid document: parse(emit(x)) == x, or emit declines (and then JSON is used)', () => {
    let declined = 0;
    fc.assert(
      fc.property(heartbeat(), (doc) => {
        expect(validate(doc).valid).toBe(true);
        for (const member of ['Models', 'AgentMetrics', 'DeploymentResult'] as const) {
          const value = doc[member];
          if (value === undefined) continue;
          const sub = schema.properties![member];
          const words = emitShorthand(value, sub);
          if (!words) {
            declined++;
            continue;
          }
          const back = parseShorthand(words, sub, `/${member}`);
          expect(back.problems).toEqual([]);
          expect(back.doc).toEqual(value);
        }
      }),
      { numRuns: 300 },
    );
    // Declining is for the rare unsayable value (empty lists, a quoted value ending in \ before another quote), not the rule.
    expect(declined).toBeLessThan(300);
  });

  it('round-trips any string value alone in a structure', () => {
    fc.assert(
      fc.property(awkwardText, (text) => {
        const words = emitShorthand({ DeploymentStatusMessage: text }, deploymentResult);
        expect(words).toBeDefined();
        expect(parseShorthand(words!, deploymentResult).doc).toEqual({ DeploymentStatusMessage: text });
      }),
      { numRuns: 500 },
    );
  });
});

// Parity with the AWS CLI's own parser (awscli/shorthand.py), when Python has awscli installed.
const PYTHON_PARSER = `
import json, sys
from awscli.shorthand import ShorthandParser, ShorthandParseError
out = []
for text in json.load(sys.stdin):
    try:
        out.append({"ok": ShorthandParser().parse(text)})
    except ShorthandParseError:
        out.append({"error": True})
json.dump(out, sys.stdout)
`;
const hasAwscli = spawnSync('python3', ['-c', 'import awscli.shorthand'], { stdio: 'ignore' }).status === 0;

describe.skipIf(!hasAwscli)('parity with awscli/shorthand.py (skipped: python3 with the awscli package is not installed)', () => {
  it('accepts, rejects and reads the same inputs as the AWS CLI', () => {
    const piece = fc.oneof(
      fc.constantFrom(
        'A',
        'B',
        'Key',
        '=',
        ',',
        '[',
        ']',
        '{',
        '}',
        "'",
        '"',
        '\\',
        ' ',
        '\\,',
        "\\'",
        '\\"',
        'x',
        'é',
        '😀',
        '\n',
        '@',
        'file://',
      ),
      fc.string({ unit: 'grapheme', maxLength: 3 }),
    );
    const inputs = [
      ...fc.sample(
        fc.array(piece, { maxLength: 12 }).map((p) => p.join('')),
        { numRuns: 400, seed: 42 },
      ),
      ...fc.sample(
        fc.array(piece, { maxLength: 8 }).map((p) => `A=${p.join('')}`),
        { numRuns: 400, seed: 7 },
      ),
      ...fc.sample(
        awkwardText.map((t) => `A=${shorthandString(t)},B=[{C=${shorthandString(t)}},{D=x}]`),
        { numRuns: 300, seed: 3 },
      ),
    ].filter((s) => !s.includes('@') && !s.includes('\0'));
    const run = spawnSync('python3', ['-c', PYTHON_PARSER], { input: JSON.stringify(inputs), encoding: 'utf8', maxBuffer: 1 << 26 });
    expect(run.status, run.stderr).toBe(0);
    const expected = JSON.parse(run.stdout) as ({ ok: unknown } | { error: true })[];
    const mismatches: string[] = [];
    inputs.forEach((text, i) => {
      let ours: { ok: unknown } | { error: true };
      try {
        ours = { ok: parseShorthandSyntax(text) };
      } catch (error) {
        if (!(error instanceof ShorthandSyntaxError)) throw error;
        ours = { error: true };
      }
      if (JSON.stringify(ours) !== JSON.stringify(expected[i]))
        mismatches.push(`${JSON.stringify(text)}: ours ${JSON.stringify(ours)}, awscli ${JSON.stringify(expected[i])}`);
    });
    expect(mismatches.slice(0, 10)).toEqual([]);
  });
});
