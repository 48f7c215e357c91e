/**
 * Every `heartbeat` command has --help (and -h): exit 0, and the command's own usage on stdout. The
 * command list is read from src/cli/main.ts and must be what `heartbeat --help` lists, so a new
 * command is covered as soon as it is registered.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.ts';

const registered = [...readFileSync('src/cli/main.ts', 'utf8').matchAll(/^ {2}(\w+): async \(\) =>/gm)].map((m) => m[1]!);

describe('--help on every command', () => {
  it('main.ts registers the commands `heartbeat --help` lists', async () => {
    const top = await runCli(['--help']);
    expect(top.code).toBe(0);
    const listed = [...top.stdout.split('Commands:\n')[1]!.matchAll(/^ {2}(\S+) {2,}\S/gm)].map((m) => m[1]!);
    expect(registered.length).toBeGreaterThanOrEqual(8);
    expect(listed).toEqual(registered);
  });

  for (const name of registered) {
    it(`heartbeat ${name} --help / -h: exit 0 with its usage`, async () => {
      const { help, summary } = (await import(`../../src/cli/commands/${name}.ts`)) as { help: string; summary: string };
      for (const flag of ['--help', '-h']) {
        const run = await runCli([name, flag]);
        expect([run.code, run.stderr], `heartbeat ${name} ${flag}`).toEqual([0, '']);
        expect(run.stdout).toBe(`${help}\n`);
        expect(run.stdout).toMatch(new RegExp(`^Usage: heartbeat ${name}\\b`));
        expect(run.stdout).toContain(summary);
      }
    });
  }
});
