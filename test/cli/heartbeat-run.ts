/** Runs the built `heartbeat` CLI for the send/replay/history tests, in an isolated environment. */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

export function heartbeat(args: string[], env: NodeJS.ProcessEnv, input?: string): Promise<Run> {
  return new Promise((resolve) => {
    const child = execFile(process.execPath, ['bin/heartbeat.js', ...args], { env, timeout: 30_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
    if (input !== undefined) child.stdin!.end(input);
  });
}

/**
 * An environment with no real AWS configuration, and a private history folder. `send --local` looks
 * for a running endpoint on a closed port, so a developer's own `heartbeat serve` cannot change results.
 */
export function isolatedEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const home = mkdtempSync(join(tmpdir(), 'hb-cli-'));
  return {
    PATH: process.env.PATH,
    HOME: home,
    HEARTBEAT_HISTORY_DIR: join(home, 'history'),
    AWS_CONFIG_FILE: join(home, 'no-config'),
    AWS_SHARED_CREDENTIALS_FILE: join(home, 'no-credentials'),
    AWS_EC2_METADATA_DISABLED: 'true',
    HEARTBEAT_SERVE_URL: 'http://127.0.0.1:9',
    ...extra,
  };
}

/** Every history file of `dir` (one per writer process), oldest first, as one text; '' when there is none. */
export function historyText(dir: string): string {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return '';
  }
  return names
    .filter((f) => f.startsWith('history-') && f.endsWith('.jsonl'))
    .sort()
    .map((f) => readFileSync(join(dir, f), 'utf8'))
    .join('');
}
