import { DEFAULT_ENDPOINT_PORT, DEMO_CREDENTIALS, DEMO_REGION } from '../../common/demo.ts';
import {
  INJECTABLE_ERRORS,
  loadCredentialsFile,
  loadEndpointConfig,
  parseLatency,
  startEndpoint,
  type AcceptedKey,
  type EndpointEvent,
  type EndpointOptions,
  type InjectableError,
} from '../../node/endpoint/index.ts';
import type { FaultSettings } from '../../common/api.ts';
import { DEFAULT_CAPTURE_FILES, type CaptureOptions } from '../../node/endpoint/capture.ts';
import { parseCommandLine } from '../args.ts';
import { CliError, EXIT, OUTPUT_CLOSED } from '../cli-error.ts';

export const summary = 'Run the embedded Edge-Manager-compatible endpoint (SigV4, validation, registry, capture, faults).';

export const help = `Usage: heartbeat serve [options]

${summary}
Answers POST /SendHeartbeat, /GetDeviceRegistration and /GetDeployments like the AWS service, verifies
SigV4 (signing name sagemaker) and validates every request against the model. The first line on stdout
is "listening on http://HOST:PORT"; then the accepted credentials and the admin token. One line per
request follows unless --quiet. SIGINT/SIGTERM stop it gracefully and flush the capture file; so
does a reader of standard output that goes away (heartbeat serve --port 0 | head -3), with exit 0.

Options:
  --host HOST                 address to bind (default 127.0.0.1; the admin API answers loopback only)
  --port PORT                 port, 0 for any free one (default ${DEFAULT_ENDPOINT_PORT}, where send --local looks)
  --region REGION             refuse credential scopes naming another region (default: accept any
                              region, so clients signing for eu-west-1 or ${DEMO_REGION} both get in)
  --access-key-id ID          accept this key pair instead of the demo keys
  --secret-access-key SECRET    (both or neither)
  --credentials FILE          accept the key pairs in FILE (AWS credentials INI, or JSON list)
  --config FILE               devices, fleets and deployments (YAML or JSON; see docs/endpoint.md)
  --no-auto-register          do not register unknown devices on their first heartbeat
  --state FILE                keep the device registry in FILE across restarts
  --capture FILE              append every request and its verdict to FILE (JSON lines), each line
                              written before its answer leaves
  --capture-max-bytes N       rotate FILE before it grows past N bytes (capture.jsonl → capture.1.jsonl,
                              older ones shift to .2 …)
  --capture-files K           keep at most K rotated files (default ${DEFAULT_CAPTURE_FILES}; 0 keeps none)
  --latency MS[±JITTER]       add latency, e.g. 200 or 200±50 (also 200+-50)
  --error-rate P              fail this fraction (0..1) of valid requests with --error
  --fail-every N              fail every Nth valid request with --error
  --error TYPE                ${INJECTABLE_ERRORS.join(' | ')} (default InternalServiceException)
  --retry-after SECONDS       Retry-After of injected ThrottlingException (default 1)
  --max-body BYTES            largest accepted body (default 1048576); larger gets 413
  --clock-skew SECONDS        allowed X-Amz-Date skew (default 300)
  --admin-token TOKEN         admin API token (default: random, printed at start-up)
  --quiet                     do not print a line per request
  -h, --help                  show this help

Examples:
  heartbeat serve
  heartbeat serve --port 0 --capture traffic.jsonl --latency 200±50
  heartbeat serve --config fleet.yaml --no-auto-register --error-rate 0.2 --error ThrottlingException`;

export async function run(argv: string[]): Promise<number> {
  const { values: v, positionals } = parseCommandLine('serve', argv, {
    host: { type: 'string', default: '127.0.0.1' },
    port: { type: 'string', default: String(DEFAULT_ENDPOINT_PORT) },
    region: { type: 'string' },
    'access-key-id': { type: 'string' },
    'secret-access-key': { type: 'string' },
    credentials: { type: 'string' },
    config: { type: 'string' },
    'no-auto-register': { type: 'boolean' },
    state: { type: 'string' },
    capture: { type: 'string' },
    'capture-max-bytes': { type: 'string' },
    'capture-files': { type: 'string' },
    latency: { type: 'string' },
    'error-rate': { type: 'string' },
    'fail-every': { type: 'string' },
    error: { type: 'string' },
    'retry-after': { type: 'string' },
    'max-body': { type: 'string' },
    'clock-skew': { type: 'string' },
    'admin-token': { type: 'string' },
    quiet: { type: 'boolean' },
  });
  if (positionals.length) throw new CliError(`serve takes no positional arguments, not "${positionals[0]}"; see heartbeat serve --help.`);
  const port = integer(v.port, '--port', 0, 65535);
  const options: EndpointOptions = { host: v.host, port, autoRegister: !v['no-auto-register'] };
  if (v.region !== undefined) {
    if (v.region !== '*' && !/^[a-z0-9-]{1,63}$/.test(v.region))
      throw new CliError(`--region must be a region name like ${DEMO_REGION}, not "${v.region}".`);
    options.region = v.region;
  }
  options.credentials = await acceptedKeys(v['access-key-id'], v['secret-access-key'], v.credentials);
  if (v.config) options.config = await wrap(() => loadEndpointConfig(v.config!));
  if (v.state) options.statePath = v.state;
  if (v.capture) options.capturePath = v.capture;
  const capture = (options.captureOptions = captureFlags(v));
  if (v['max-body'] !== undefined) options.maxBodyBytes = integer(v['max-body'], '--max-body', 1, 1024 ** 3);
  if (v['clock-skew'] !== undefined) options.clockSkewSeconds = integer(v['clock-skew'], '--clock-skew', 1, 7 * 24 * 3600);
  if (v['admin-token'] !== undefined) options.adminToken = v['admin-token'];
  options.faults = faultFlags(v);

  const endpoint = await wrap(() => startEndpoint(options));
  // Set up before the first line is out: a SIGTERM sent as soon as "listening on" is read stops it gracefully.
  const stopped = new Promise<number>((resolve) => {
    const stop = (signal?: string) => {
      if (signal) process.stderr.write(`heartbeat serve: ${signal} received; shutting down.\n`);
      endpoint.close().then(
        () => resolve(EXIT.ok),
        () => resolve(EXIT.badInput),
      );
    };
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
    // The reader of standard output went away (| head): stop as on SIGTERM, quietly.
    process.once(OUTPUT_CLOSED, () => stop());
  });
  const out = (line: string) => process.stdout.write(`${line}\n`);
  out(`listening on ${endpoint.url}`);
  const demo = options.credentials === undefined;
  if (demo) {
    out(`accepted credentials (the documented demo keys; they open nothing at AWS):`);
    out(`  AWS_ACCESS_KEY_ID=${DEMO_CREDENTIALS.accessKeyId}`);
    out(`  AWS_SECRET_ACCESS_KEY=${DEMO_CREDENTIALS.secretAccessKey}`);
  } else out(`accepted access key ids: ${endpoint.credentials.map((k) => k.accessKeyId).join(', ')}`);
  const region = endpoint.anyRegion
    ? `any (sign for any region, e.g. ${endpoint.region}; --region to enforce one)`
    : `${endpoint.region} only`;
  out(`region: ${region}; signing name sagemaker; session tokens are accepted unchecked`);
  out(`admin API: ${endpoint.url}/__admin/ (token ${endpoint.adminToken})`);
  if (v.capture)
    out(
      `capturing to ${v.capture}${capture.maxBytes ? ` (rotated at ${capture.maxBytes} bytes, at most ${capture.files ?? DEFAULT_CAPTURE_FILES} older files kept)` : ''}`,
    );
  if (!v.quiet) endpoint.admin.subscribe((event) => out(describe(event)));

  return stopped;
}

function describe(e: EndpointEvent): string {
  const who = e.deviceName ? ` ${e.deviceFleetName ?? '?'}/${e.deviceName}` : '';
  const why = e.errorType ? ` ${e.errorType}${e.injected ? ' (injected)' : ''}: ${e.message}` : '';
  return `${e.time} ${e.status} ${e.operation}${who} ${e.handlingMs.toFixed(1)} ms${why}`;
}

async function acceptedKeys(
  id: string | undefined,
  secret: string | undefined,
  file: string | undefined,
): Promise<AcceptedKey[] | undefined> {
  if ((id === undefined) !== (secret === undefined))
    throw new CliError('--access-key-id and --secret-access-key go together; pass both or neither.');
  const keys: AcceptedKey[] = [];
  if (id !== undefined && secret !== undefined) {
    if (!id || !secret) throw new CliError('--access-key-id and --secret-access-key must not be empty.');
    keys.push({ accessKeyId: id, secretAccessKey: secret });
  }
  if (file) keys.push(...(await wrap(() => loadCredentialsFile(file))));
  return keys.length ? keys : undefined;
}

function faultFlags(v: Record<string, string | boolean | undefined>): FaultSettings {
  const faults: FaultSettings = {};
  if (typeof v.latency === 'string') {
    const latency = parseLatency(v.latency);
    if (!latency)
      throw new CliError(`--latency must be milliseconds like 200 or 200±50 (jitter not above the latency), not "${v.latency}".`);
    Object.assign(faults, latency);
  }
  if (typeof v['error-rate'] === 'string') {
    const rate = Number(v['error-rate']);
    if (v['error-rate'].trim() === '' || !(rate >= 0 && rate <= 1))
      throw new CliError(`--error-rate must be a fraction from 0 to 1, like 0.2, not "${v['error-rate']}".`);
    faults.errorRate = rate;
  }
  if (typeof v['fail-every'] === 'string') faults.failEveryNth = integer(v['fail-every'], '--fail-every', 1, Number.MAX_SAFE_INTEGER);
  if (typeof v.error === 'string') {
    if (!(INJECTABLE_ERRORS as readonly string[]).includes(v.error))
      throw new CliError(`--error must be ${INJECTABLE_ERRORS.join(' or ')}, not "${v.error}".`);
    if (faults.errorRate === undefined && faults.failEveryNth === undefined)
      throw new CliError('--error needs --error-rate or --fail-every to say how often to fail.');
    faults.errorType = v.error as InjectableError;
  }
  if (typeof v['retry-after'] === 'string') faults.retryAfterSeconds = integer(v['retry-after'], '--retry-after', 0, 3600);
  return faults;
}

function captureFlags(v: Record<string, string | boolean | undefined>): CaptureOptions {
  const maxBytes = v['capture-max-bytes'];
  const files = v['capture-files'];
  if ((typeof maxBytes === 'string' || typeof files === 'string') && !v.capture)
    throw new CliError('--capture-max-bytes and --capture-files need --capture FILE.');
  if (typeof files === 'string' && typeof maxBytes !== 'string')
    throw new CliError('--capture-files needs --capture-max-bytes to say when to rotate.');
  const options: CaptureOptions = { onProblem: (sentence) => process.stderr.write(`heartbeat serve: ${sentence}\n`) };
  if (typeof maxBytes === 'string') options.maxBytes = integer(maxBytes, '--capture-max-bytes', 1, Number.MAX_SAFE_INTEGER);
  if (typeof files === 'string') options.files = integer(files, '--capture-files', 0, 1000);
  return options;
}

function integer(text: string, flag: string, min: number, max: number): number {
  const n = Number(text);
  if (!/^\d+$/.test(text.trim()) || n < min || n > max)
    throw new CliError(`${flag} must be a whole number from ${min} to ${max}, not "${text}".`);
  return n;
}

/** Start-up failures from the endpoint module are already sentences; make them CLI errors. */
async function wrap<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    throw new CliError((error as Error).message);
  }
}
