/** Issue 14 item 10: the CLI's validate and convert refuse input nested past 64 levels with the shared parser's sentence (convert said "Unexpected failure: Maximum call stack size exceeded"). */
import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.ts';

const SENTENCE = 'Objects and arrays nest more than 64 levels deep here; a document may nest at most 64 levels.';
const deep = `{"AgentVersion":"1.0","DeviceName":"d","DeviceFleetName":"f","Models":[{"ModelName":${'{"a":'.repeat(6000)}1${'}'.repeat(6000)}}]}`;

describe('deeply nested input on the command line (issue 14 item 10)', () => {
  it.each([
    ['convert json', ['convert', '-', '--from', 'json', '--to', 'yaml']],
    ['convert cli-input-json', ['convert', '-', '--from', 'cli-input-json', '--to', 'aws-cli']],
    ['validate', ['validate', '-']],
  ])('%s says the sentence and no stack overflow', async (_what, args) => {
    const run = await runCli(args, { input: deep });
    expect(run.code).not.toBe(0);
    expect(`${run.stdout}${run.stderr}`).toContain(SENTENCE);
    expect(run.stderr).not.toMatch(/Unexpected failure|call stack/i);
  });
});
