import type { FleetRunSummary } from '../../common/fleet/summary.ts';
import type { Outcome } from '../../common/log/entry.ts';
import { isOperation, OPERATIONS } from '../../common/model/index.ts';
import { checkText } from '../../common/validation/check-text.ts';
import type { EngineResult } from '../../node/engine/send.ts';
import { createSendService, type SendService } from '../../node/services/send-service.ts';
import { openSession, type Session } from '../../node/engine/session.ts';
import { openHistoryLog } from '../../node/history/store.ts';
import { formatSignatureReport } from '../../node/signing/report.ts';
import { createTransport } from '../../node/transport/dispatcher.ts';
import { parseCommandLine } from '../args.ts';
import { CliError, EXIT } from '../cli-error.ts';
import { MAX_DOCUMENT_TEXT, readInput } from '../io.ts';
import { VARIABLE_OPTIONS, VARIABLES_HELP, variableOptions } from '../../node/variables/options.ts';
import { describeSubstitutions } from '../../common/variables/resolve.ts';

export const summary = 'Sign and send one request, record it in the history, print the outcome.';

export const TARGET_HELP = `Target (default --local):
  --local                 the embedded endpoint, signed with its demo keys: $HEARTBEAT_LOCAL_URL
                          if set; else the running one (heartbeat serve or heartbeat ui) when it
                          answers at http://127.0.0.1:8787 ($HEARTBEAT_SERVE_URL moves where to
                          look); else a throwaway one started for this command (--debug says which)
  --endpoint-url URL      a custom endpoint (region from --region, the profile or AWS_REGION)
  --region R              the AWS region's Edge Manager endpoint (from the endpoint rule set)
  --fips, --dualstack     FIPS / dual-stack regional endpoint
  --profile P             credentials (and region) from a shared-config profile; otherwise the
                          AWS default chain (env, files, SSO, assume-role, credential_process)
Transport:
  --max-attempts N        attempts including retries, AWS standard mode (default 3)
  --ca-bundle FILE        PEM CA certificates to trust for HTTPS
  --no-verify-ssl         do not check the server certificate (test servers only)
  --connect-timeout S     seconds (default 60)
  --read-timeout S        seconds (default 60)
HTTPS_PROXY, HTTP_PROXY and NO_PROXY are honoured. History: $HEARTBEAT_HISTORY_DIR, else the
user data folder (~/.local/share/heartbeat-composer/history on Linux).`;

export const help = `Usage: heartbeat send [FILE|-] [--local | --endpoint-url URL | --region R] [options]

${summary}
Reads the payload from FILE or standard input (one JSON document, at most ${MAX_DOCUMENT_TEXT}; many payloads:
heartbeat replay), validates it (unless --no-validate), signs it with SigV4 (signing name "sagemaker"),
resolves its variables ({{…}}, below), sends it with retries and records request and outcome in
the history.

${TARGET_HELP}
${VARIABLES_HELP}
  --print-resolved        print the body that would be sent (variables resolved) on standard output
                          and what was substituted on standard error; send nothing
Output:
  --operation OP          ${OPERATIONS.join(' | ')} (default SendHeartbeat)
  --no-validate           send even a payload that breaks the model's constraints
  --debug                 print the signature report (canonical request, string to sign, scope,
                          signed headers, signature) and every attempt on standard error
  --output text|json      text (default), or the outcome as one JSON object
  -h, --help              show this help

Exit status: 0 on 2xx, 1 on a service error, 2 on bad input, 3 on a transport error, 130 cancelled.

Examples:
  heartbeat send examples/healthy-device.json --local --debug
  heartbeat send payload.json --endpoint-url http://127.0.0.1:8080 --profile dev --output json
  heartbeat send template.json --env environments.yaml --environment demo --var device=sim-042`;

export const TARGET_OPTIONS = {
  local: { type: 'boolean' },
  'endpoint-url': { type: 'string' },
  region: { type: 'string' },
  fips: { type: 'boolean' },
  dualstack: { type: 'boolean' },
  profile: { type: 'string' },
  'max-attempts': { type: 'string' },
  'ca-bundle': { type: 'string' },
  'no-verify-ssl': { type: 'boolean' },
  'connect-timeout': { type: 'string' },
  'read-timeout': { type: 'string' },
  output: { type: 'string', default: 'text' },
} as const;

export interface TargetValues {
  local?: boolean;
  'endpoint-url'?: string;
  region?: string;
  fips?: boolean;
  dualstack?: boolean;
  profile?: string;
  'max-attempts'?: string;
  'ca-bundle'?: string;
  'no-verify-ssl'?: boolean;
  'connect-timeout'?: string;
  'read-timeout'?: string;
  output?: string;
}

function positiveNumber(value: string | undefined, flag: string, integer: boolean): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0 || (integer && !Number.isInteger(n)))
    throw new CliError(`${flag} must be a positive ${integer ? 'whole ' : ''}number, not "${value}".`);
  return n;
}

/** Engine set-up: its failures are AppErrors (target, credentials, transport, history), each one sentence with its exit code. */
async function configured<T>(work: () => Promise<T>): Promise<T> {
  return work();
}

export interface Prepared {
  session: Session;
  /** The one send service (the app's host sends through it too), over this command's transport and history. */
  sends: SendService;
  /** Records a fleet run's summary as one history entry (docs/history.md#fleet-run-entries). */
  recordRun(summary: FleetRunSummary, tags?: string[]): Promise<string>;
  close(): Promise<void>;
}

/** Everything a sending command needs, from the shared target/transport flags. */
export async function prepare(values: TargetValues): Promise<Prepared> {
  if (values.output !== 'text' && values.output !== 'json') throw new CliError(`--output must be text or json, not "${values.output}".`);
  const chosen = [values.local, values['endpoint-url'] !== undefined, values.region !== undefined && !values['endpoint-url']].filter(
    Boolean,
  ).length;
  if (values.local && chosen > 1) throw new CliError('Choose one target: --local, --endpoint-url or --region.');
  const maxAttempts = positiveNumber(values['max-attempts'], '--max-attempts', true);
  const connect = positiveNumber(values['connect-timeout'], '--connect-timeout', false);
  const read = positiveNumber(values['read-timeout'], '--read-timeout', false);
  const local = values.local || (!values['endpoint-url'] && values.region === undefined);
  const transport = await configured(() =>
    createTransport({
      ...(connect ? { connectTimeoutMs: connect * 1000 } : {}),
      ...(read ? { readTimeoutMs: read * 1000 } : {}),
      ...(values['ca-bundle'] ? { caBundle: values['ca-bundle'] } : {}),
      verifySsl: !values['no-verify-ssl'],
    }),
  );
  const history = await configured(() => openHistoryLog());
  let session: Session;
  try {
    session = await configured(() =>
      openSession({
        local,
        ...(values['endpoint-url'] ? { endpointUrl: values['endpoint-url'] } : {}),
        ...(values.region ? { region: values.region } : {}),
        ...(values.fips ? { fips: true } : {}),
        ...(values.dualstack ? { dualStack: true } : {}),
        ...(values.profile ? { profile: values.profile } : {}),
      }),
    );
  } catch (error) {
    await Promise.all([transport.close(), history.close()]);
    throw error;
  }
  return {
    session,
    sends: createSendService({ transport, history, ...(maxAttempts ? { maxAttempts } : {}) }),
    recordRun: (summary, tags) => history.recordRun(summary, tags),
    close: async () => {
      await Promise.all([transport.close(), history.close(), session.close()]);
    },
  };
}

export function exitCodeOf(outcome: Outcome): number {
  if (outcome.kind === 'success') return EXIT.ok;
  if (outcome.kind === 'service-error') return EXIT.serviceError;
  if (outcome.kind === 'transport-error') return EXIT.transport;
  return 130;
}

function describe(result: EngineResult): string {
  const o = result.outcome;
  const tries = `${result.attempts.length} attempt${result.attempts.length === 1 ? '' : 's'}`;
  const ms = result.timings ? `, ${result.timings.totalMs} ms` : '';
  if (o.kind === 'success')
    return `${o.status} OK${o.requestId ? `, request id ${o.requestId}` : ''} (${tries}${ms}).${o.body ? `\n${o.body}` : ''}`;
  if (o.kind === 'service-error')
    return `${o.status} ${o.errorType}: ${o.message}${o.requestId ? ` (request id ${o.requestId})` : ''} (${tries}).${o.diagnosis ? `\nDiagnosis: ${o.diagnosis}` : ''}`;
  if (o.kind === 'transport-error') return `Transport error (${o.code}) after ${tries}: ${o.message}`;
  return o.message;
}

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandLine('send', argv, {
    ...TARGET_OPTIONS,
    operation: { type: 'string', default: 'SendHeartbeat' },
    'no-validate': { type: 'boolean' },
    debug: { type: 'boolean' },
    ...VARIABLE_OPTIONS,
    'print-resolved': { type: 'boolean' },
  });
  if (!isOperation(values.operation)) throw new CliError(`--operation must be one of ${OPERATIONS.join(', ')}, not "${values.operation}".`);
  if (positionals.length > 1)
    throw new CliError(`send takes one FILE, not ${positionals.length}; use "heartbeat replay" for many payloads.`);
  const input = await readInput(positionals[0], 'send takes one payload; for NDJSON, use heartbeat replay');
  // Checked as it will be sent: placeholders resolved (an unresolvable one is a problem at its place, whatever --no-validate says).
  const resolver = await variableOptions(values);
  const check = checkText(input.text, values.operation, resolver.context);
  const unresolved = check.problems.filter((p) => p.keyword === 'variable');
  if (unresolved.length) {
    for (const p of unresolved) process.stderr.write(`${input.name}:${p.line}:${p.column} ${p.path || '(document)'}: ${p.message}\n`);
    throw new CliError(
      `${input.name} has ${unresolved.length} placeholder${unresolved.length === 1 ? '' : 's'} with no value; define ${unresolved.length === 1 ? 'it' : 'them'} in the environment (--env, --environment) or with --var NAME=VALUE.`,
    );
  }
  if (!check.valid && !values['no-validate']) {
    for (const p of check.problems) process.stderr.write(`${input.name}:${p.line}:${p.column} ${p.path || '(document)'}: ${p.message}\n`);
    throw new CliError(
      `${input.name} is not a valid ${values.operation} request (${check.problems.length} problem${check.problems.length === 1 ? '' : 's'}); fix it, or pass --no-validate to send it anyway.`,
    );
  }
  const resolved = resolver(input.text, { operation: values.operation });
  const substituted = describeSubstitutions(resolved.substitutions)
    .map((s) => `${s.placeholder} = ${s.value}\n`)
    .join('');
  if (values['print-resolved']) {
    process.stderr.write(substituted);
    process.stdout.write(resolved.text);
    return EXIT.ok;
  }
  const prepared = await prepare(values);
  const handle = await prepared.sends.send({
    operation: values.operation,
    body: resolved.text,
    target: prepared.session.target,
    credentials: prepared.session.credentials,
  });
  const onInterrupt = (): void => handle.cancel();
  process.once('SIGINT', onInterrupt);
  let result: EngineResult;
  try {
    result = await handle.response;
  } finally {
    process.removeListener('SIGINT', onInterrupt);
    await prepared.close();
  }
  if (values.debug) {
    if (prepared.session.localNote) process.stderr.write(`${prepared.session.localNote}\n`);
    if (substituted) process.stderr.write(`Variables:\n${substituted}`);
    if (result.report) process.stderr.write(`${formatSignatureReport(result.report)}\n\n`);
    for (const a of result.attempts)
      process.stderr.write(
        `Attempt ${a.attempt}: ${a.status ?? a.errorType ?? '-'}${a.status && a.errorType ? ` ${a.errorType}` : ''}, ${a.durationMs} ms${a.delayMs !== undefined ? ` after waiting ${a.delayMs} ms` : ''}\n`,
      );
  }
  if (values.output === 'json') {
    const { id, outcome, attempts, timings, report } = result;
    process.stdout.write(
      JSON.stringify({
        id,
        target: prepared.session.target,
        outcome,
        attempts,
        ...(timings ? { timings } : {}),
        ...(values.debug && report ? { signatureReport: report } : {}),
      }) + '\n',
    );
  } else {
    const line = describe(result);
    (result.outcome.kind === 'success' ? process.stdout : process.stderr).write(`${line}\n`);
  }
  return exitCodeOf(result.outcome);
}
