/** Issue 14 item 10: nesting deeper than 64 levels is refused by the shared parser with one sentence, before anything recurses over it. */
import { describe, expect, it } from 'vitest';
import { MAX_JSON_DEPTH, parseJson, TOO_DEEP_MESSAGE } from '../../../src/common/json/parse.ts';
import { parseJsonFast } from '../../../src/common/json/parse-fast.ts';
import { checkText } from '../../../src/common/validation/check-text.ts';
import { importText } from '../../../src/common/formats/index.ts';

/** `{"AgentVersion":"1","DeviceName":"d","DeviceFleetName":"f","Models":[{"ModelName":{"a":{"a":…}}}]}` with `levels` containers in all. */
function nested(levels: number): string {
  const inner = levels - 3; // the root object, the Models array and the model object
  return `{"AgentVersion":"1","DeviceName":"d","DeviceFleetName":"f","Models":[{"ModelName":${'{"a":'.repeat(inner)}1${'}'.repeat(inner)}}]}`;
}

describe('JSON nesting depth (issue 14 item 10)', () => {
  it('accepts 64 levels and refuses 65 with the one sentence, at the container that goes too deep', () => {
    expect(MAX_JSON_DEPTH).toBe(64);
    expect(parseJson(nested(64)).errors).toEqual([]);
    const deep = nested(65);
    const parsed = parseJson(deep);
    expect(parsed.value).toBeUndefined();
    expect(parsed.errors).toHaveLength(1);
    expect(parsed.errors[0]).toMatchObject({ kind: 'syntax', message: TOO_DEEP_MESSAGE, line: 1, column: deep.lastIndexOf('{"a":') + 1 });
    expect(TOO_DEEP_MESSAGE).toMatch(/^[A-Z].*64 levels.*\.$/);
    // Arrays count the same as objects.
    expect(parseJson(`${'['.repeat(65)}${']'.repeat(65)}`).errors[0].message).toBe(TOO_DEEP_MESSAGE);
    expect(parseJson(`${'['.repeat(64)}${']'.repeat(64)}`).errors).toEqual([]);
  });

  it('refuses ~6,000 levels (a 12 KB body) without overflowing the stack, on every reader of JSON text', () => {
    const deep = `{"a":${'['.repeat(6000)}${']'.repeat(6000)}}`;
    expect(parseJson(deep).errors[0].message).toBe(TOO_DEEP_MESSAGE);
    expect(parseJson(deep, { positions: false }).errors[0].message).toBe(TOO_DEEP_MESSAGE);
    // The servers' fast path leaves the verdict to parseJson.
    expect(parseJsonFast(deep)).toBeUndefined();
    expect(parseJsonFast(nested(64))).toBeDefined();
    // validate (CLI validate/send, the app's editor) and convert's importers say the same.
    const check = checkText(deep);
    expect(check.valid).toBe(false);
    expect(check.problems.map((p) => p.message)).toEqual([TOO_DEEP_MESSAGE]);
    expect(importText('json', deep).problems.map((p) => p.message)).toEqual([TOO_DEEP_MESSAGE]);
    expect(importText('cli-input-json', deep).problems.map((p) => p.message)).toContain(TOO_DEEP_MESSAGE);
  });
});
