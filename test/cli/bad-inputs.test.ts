/**
 * Issue 14, item 14: no input a user can type makes the CLI say "Unexpected failure" or print a stack.
 * Every command, given a missing file, a folder, a binary file, an empty file, an empty option value
 * or an unknown option, exits with the documented code (2 bad input; 1 for a document `validate`
 * reads and finds invalid) and one sentence on stderr.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { heartbeat, isolatedEnv } from './heartbeat-run.ts';

const dir = mkdtempSync(join(tmpdir(), 'hb-bad-inputs-'));
const missing = join(dir, 'missing.json');
const folder = join(dir, 'a-folder');
const binary = join(dir, 'binary.bin');
const empty = join(dir, 'empty.json');
mkdirSync(folder);
writeFileSync(binary, Buffer.from(Array.from({ length: 512 }, (_, i) => (i * 131 + 7) % 256)));
writeFileSync(empty, '');
// No credentials anywhere, and nothing listening where --local or --endpoint-url point: a bad input
// must be reported as such, before any credentials or connection problem.
const env = isolatedEnv();
const NOWHERE = 'http://127.0.0.1:9';

const FILES = { missing, folder, binary, empty };
type Kind = keyof typeof FILES;

/** [command line with FILE, the exit code, what the sentence says] per command that reads a file. */
const fileCases: Array<[string, (file: string) => string[], Partial<Record<Kind, [number, RegExp]>>]> = [
  [
    'validate',
    (f) => ['validate', f],
    { missing: [2, /does not exist/], folder: [2, /is a folder/], binary: [2, /not UTF-8 text/], empty: [1, /: 1 invalid\.$/] },
  ],
  [
    'validate --ndjson',
    (f) => ['validate', '--ndjson', f],
    { missing: [2, /does not exist/], folder: [2, /is a folder/], empty: [2, /holds no payload/] },
  ],
  [
    'convert',
    (f) => ['convert', f, '--from', 'json', '--to', 'yaml'],
    { missing: [2, /does not exist/], folder: [2, /is a folder/], binary: [2, /not UTF-8 text/], empty: [2, /is empty/] },
  ],
  [
    'send --endpoint-url',
    (f) => ['send', f, '--endpoint-url', NOWHERE],
    { missing: [2, /does not exist/], folder: [2, /is a folder/], binary: [2, /not UTF-8 text/], empty: [2, /is empty/] },
  ],
  [
    'send --local',
    (f) => ['send', f, '--local'],
    { missing: [2, /does not exist/], folder: [2, /is a folder/], binary: [2, /not UTF-8 text/], empty: [2, /is empty/] },
  ],
  [
    'replay --endpoint-url',
    (f) => ['replay', f, '--endpoint-url', NOWHERE],
    { missing: [2, /does not exist/], folder: [2, /is a folder/], binary: [2, /not text/], empty: [2, /Nothing to replay/] },
  ],
  [
    'replay --region',
    (f) => ['replay', f, '--region', 'eu-west-1'],
    { missing: [2, /does not exist/], folder: [2, /is a folder/], binary: [2, /not text/], empty: [2, /Nothing to replay/] },
  ],
  [
    'serve --config',
    (f) => ['serve', '--port', '0', '--config', f],
    { missing: [2, /ENOENT/], folder: [2, /EISDIR/], binary: [2, /top level must be a mapping/] },
  ],
  [
    'serve --credentials',
    (f) => ['serve', '--port', '0', '--credentials', f],
    { missing: [2, /ENOENT/], folder: [2, /EISDIR/], binary: [2, /holds no key pair/], empty: [2, /holds no key pair/] },
  ],
  [
    'serve --state',
    (f) => ['serve', '--port', '0', '--state', f],
    { folder: [2, /EISDIR/], binary: [2, /not a state file/], empty: [2, /not a state file/] },
  ],
  ['serve --capture', (f) => ['serve', '--port', '0', '--capture', f], { folder: [2, /EISDIR/] }],
  ['history --export', (f) => ['history', '--export', 'jsonl', f], { folder: [2, /EISDIR/] }],
  [
    'history --export (under a file)',
    (f) => ['history', '--export', 'har', join(f, 'out.har')],
    { binary: [2, /ENOTDIR/], empty: [2, /ENOTDIR/] },
  ],
  [
    'ui --history-dir',
    (f) => ['ui', '--no-open', '--port', '0', '--endpoint-port', '0', '--history-dir', f],
    { binary: [2, /history folder/], empty: [2, /history folder/] },
  ],
];

const optionCases: Array<[string[], RegExp]> = [
  [['replay', empty, '--device-name', ''], /^--device-name needs a value/],
  [['replay', empty, '--fleet-name', ''], /^--fleet-name needs a value/],
  [['send', empty, '--profile', ''], /^--profile needs a value/],
  [['send', empty, '--endpoint-url', ''], /^--endpoint-url needs a value/],
  [['validate', '--format', '', empty], /^--format needs a value/],
  [['validate', ''], /FILE is an empty string/],
  [['replay', ''], /FILE is an empty string/],
  [['convert', empty, '--from', '', '--to', 'json'], /^--from needs a value/],
  [['skeleton', '--operation', ''], /^--operation needs a value/],
  [['history', '--since', ''], /^--since needs a value/],
  [['history', 'search'], /^search needs TEXT/],
  [['serve', '--port', ''], /^--port needs a value/],
  [['serve', '--admin-token', '', '--port', '0'], /^--admin-token needs a value/],
  [['ui', '--port', ''], /^--port needs a value/],
  [['ui', '--history-dir', '', '--no-open'], /^--history-dir needs a value/],
  [['replay', empty, '--concurrency'], /^Option '--concurrency <value>' argument missing/],
  [['send', '-', '--no-validate=yes'], /^Option '--no-validate' does not take an argument/],
];

/** Every registered command (as src/cli/main.ts lists them), and the subcommand history prune. */
const COMMANDS = [
  ...[...readFileSync('src/cli/main.ts', 'utf8').matchAll(/^ {2}([\w-]+): async \(\) =>/gm)].map((m) => m[1]!),
  'history prune',
];

function expectOneSentence(run: { code: number; stderr: string }, code: number, says: RegExp): void {
  const lines = run.stderr.split('\n').filter((l) => l !== '');
  expect(lines, run.stderr).toHaveLength(1);
  expect(run.stderr).not.toMatch(/Unexpected failure|\n\s+at |Error:/);
  expect(run.code, run.stderr).toBe(code);
  const sentence = lines[0]!.replace(/^heartbeat: /, '');
  expect(sentence).toMatch(says);
  expect(sentence).toMatch(/[.)]$/);
}

describe('bad inputs: one sentence and the documented exit code, never "Unexpected failure"', () => {
  for (const [name, args, expected] of fileCases) {
    for (const [kind, [code, says]] of Object.entries(expected) as Array<[Kind, [number, RegExp]]>) {
      it(`${name} with ${kind === 'empty' ? 'an empty file' : kind === 'binary' ? 'a binary file' : kind === 'folder' ? 'a folder' : 'a missing file'}`, async () => {
        expectOneSentence(await heartbeat(args(FILES[kind]), env), code, says);
      });
    }
  }

  for (const [args, says] of optionCases) {
    it(`${JSON.stringify(args.map((a) => a.replace(dir, '…')))}`, async () => {
      expectOneSentence(await heartbeat(args, env, ''), 2, says);
    });
  }

  for (const command of COMMANDS) {
    it(`${command} --bogus (an unknown option)`, async () => {
      const run = await heartbeat([...command.split(' '), '--bogus'], env, '');
      expectOneSentence(run, 2, new RegExp(`^Unknown option '--bogus'; see "heartbeat ${command} --help"\\.$`));
    });
  }
});
