/**
 * The in-process HeartbeatApi: everything the UI needs, built from the Node services (credentials,
 * signing, transport, retries, history, the embedded endpoint). The Electron main process and the
 * browser-mode loopback host both expose this object; tests and the CLI call it directly.
 *
 * Secrets stay here: manual keys are held in memory under a random id, profiles are named, and a
 * signature report leaves without its signature and with only the last 4 characters of the key id.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type {
  CredentialRef,
  EndpointActivity,
  EndpointInfo,
  HistoryExportFormat,
  HeartbeatApi,
  HostEvent,
  HostSettings,
  ManualKeys,
  SendOptions,
  SendResult,
  SignatureReport,
  TargetSpec,
} from '../../common/api.ts';
import type { LogLine, TargetRecord } from '../../common/log/entry.ts';
import { isOperation, type Operation } from '../../common/model/index.ts';
import { checkText } from '../../common/validation/check-text.ts';
import { CredentialsError, resolveCredentials, type CredentialSource, type Credentials } from '../credentials/credentials.ts';
import { listProfiles } from '../credentials/profiles.ts';
import { startEndpoint, type EndpointEvent, type EndpointOptions, type RunningEndpoint } from '../endpoint/index.ts';
import { createEngine, send as engineSend, type Engine, type SendHandle } from '../engine/send.ts';
import { exportHistory } from '../history/export.ts';
import { historyDir as defaultHistoryDir } from '../history/paths.ts';
import type { HistoryWarning } from '../history/history-index.ts';
import { HistoryStore } from '../history/store.ts';
import { DEMO_CREDENTIALS } from '../../common/demo.ts';
import type { SigningReport } from '../signing/report.ts';
import { resolveTarget } from '../targets/target.ts';
import { createTransport, type Transport } from '../transport/dispatcher.ts';
import { withArgumentChecks } from '../../common/api-args.ts';
import { isAppError } from '../../common/errors.ts';
import { HostError, sentenceOf } from './host-error.ts';
import { entryOf, indexQuery, pageOf, requestForUi, summaryOf } from './history-view.ts';
import { applySettings, defaultSettings, defaultSettingsFile, legacySettingsFile, loadSettings, saveSettings } from './settings.ts';

export interface HostOptions {
  /** Default: $HEARTBEAT_HISTORY_DIR or the user's data folder (src/node/history/paths.ts). */
  historyDir?: string;
  /** Default: settings.json in the app's configuration folder (src/node/history/paths.ts configDir). */
  settingsFile?: string;
  /** Options of the embedded endpoint started with the host (default: any free loopback port). */
  endpoint?: EndpointOptions;
  /** Where manual keys outlive the process (the desktop app encrypts them); default: memory only. */
  manualKeyStore?: ManualKeyStore;
}

/** Persistence of the manual keys the host holds, by id. The store is responsible for encrypting them. */
export interface ManualKeyStore {
  /** The keys saved before; none when there are none or they cannot be read. */
  load(): Promise<Record<string, ManualKeys>>;
  /** Replaces what was saved with these keys. */
  save(keys: Record<string, ManualKeys>): Promise<void>;
}

export interface HostServices {
  api: HeartbeatApi;
  endpoint: RunningEndpoint;
  settings(): HostSettings;
  close(): Promise<void>;
}

const RECENT_ACTIVITY = 50;
const DAY_MS = 86_400_000;

/** One sentence for lines the history skipped, however many. */
function skippedNotice(warnings: HistoryWarning[]): string {
  const first = warnings[0]!;
  const more = warnings.length - 1;
  return `The history skipped ${warnings.length} unreadable line${warnings.length === 1 ? '' : 's'}: ${first.file} line ${first.line} (${first.problem})${more > 0 ? ` and ${more} more` : ''}.`;
}

function reportOf(report: SigningReport | undefined): SignatureReport | undefined {
  if (!report) return undefined;
  const { algorithm, amzDate, credentialScope, signedHeaders, canonicalRequest, stringToSign, accessKeyIdLast4 } = report;
  return { algorithm, amzDate, credentialScope, signedHeaders, canonicalRequest, stringToSign, accessKeyIdLast4 };
}

function activityOf(event: EndpointEvent): EndpointActivity {
  const { body: _body, ...rest } = event;
  return rest;
}

export async function startHostServices(options: HostOptions = {}): Promise<HostServices> {
  const settingsFile = options.settingsFile ?? defaultSettingsFile();
  let settings = await loadSettings(settingsFile, defaultSettings(options.historyDir ?? defaultHistoryDir()), options.settingsFile ? undefined : legacySettingsFile());
  // An explicit folder (flag, test, env) wins over the saved one.
  if (options.historyDir) settings = { ...settings, historyDir: options.historyDir };
  const dir = settings.historyDir;

  const transportFor = (s: HostSettings): Promise<Transport> => createTransport({ connectTimeoutMs: s.timeoutMs, readTimeoutMs: s.timeoutMs, ...(s.caBundle ? { caBundle: s.caBundle } : {}) });
  let transport = await transportFor(settings).catch(() => transportFor({ ...settings, caBundle: '' }));
  let store: HistoryStore;
  let endpoint: RunningEndpoint;
  try {
    store = await HistoryStore.open(dir);
  } catch (error) {
    await transport.close();
    throw error;
  }
  try {
    endpoint = await startEndpoint(options.endpoint ?? {});
  } catch (error) {
    // A busy port (EADDRINUSE, kept in the error) is the caller's to handle; nothing may stay open.
    await Promise.allSettled([transport.close(), store.close()]);
    throw error;
  }
  const listeners = new Set<(event: HostEvent) => void>();
  const emit = (event: HostEvent): void => {
    for (const listener of listeners) {
      try {
        listener(event);
      } catch {
        // One broken listener must not stop the others.
      }
    }
  };
  const stopActivity = endpoint.admin.subscribe((event) => emit({ type: 'endpoint-activity', activity: activityOf(event) }));
  // Entries written by any process (this one, `send`, `replay`) reach the UI as the index reads them.
  const stopHistoryEvents = store.index.onChange((change) => {
    if (change.rebuilt) emit({ type: 'history-reset' });
    else for (const entry of change.entries) emit({ type: 'history', entry: summaryOf(entry) });
    if (change.warnings.length > 0) emit({ type: 'notice', message: skippedNotice(change.warnings) });
  });
  const startupNotice = store.index.warnings.length > 0 ? skippedNotice(store.index.warnings) : undefined;
  const history = { record: (line: LogLine, durable: boolean): Promise<void> => store.record(line, durable) };
  let retentionNotice: string | undefined;
  const applyRetention = async (): Promise<void> => {
    if (!settings.retentionDays && !settings.retentionKeep) return;
    try {
      await store.prune({ ...(settings.retentionDays ? { olderThanMs: settings.retentionDays * DAY_MS } : {}), ...(settings.retentionKeep ? { keep: settings.retentionKeep } : {}) });
      retentionNotice = undefined;
    } catch (error) {
      const message = `The history retention could not be applied (${sentenceOf(error).replace(/\.$/, '')}).`;
      if (message !== retentionNotice) emit({ type: 'notice', message });
      retentionNotice = message;
    }
  };
  void applyRetention();
  const retentionTimer = setInterval(() => void applyRetention(), 60 * 60_000);
  retentionTimer.unref();
  const engineFor = (t: Transport): Engine => createEngine({ transport: t, history });
  let engine = engineFor(transport);
  const inFlight = new Map<string, SendHandle>();
  const manualKeys = new Map<string, Credentials>();
  const keyStore = options.manualKeyStore;
  if (keyStore) for (const [id, keys] of Object.entries(await keyStore.load().catch(() => ({})))) manualKeys.set(id, keys);

  function targetOf(spec: TargetSpec): TargetRecord {
    try {
      if (spec.kind === 'local') return resolveTarget({ kind: 'local', url: endpoint.url, region: endpoint.region });
      if (spec.kind === 'region') return resolveTarget({ kind: 'region', region: spec.region, ...(spec.fips ? { fips: true } : {}) });
      return resolveTarget({ kind: 'url', url: spec.url, region: spec.region });
    } catch (error) {
      throw new HostError(isAppError(error) ? error.message : 'The target is not one the host understands.', 'TARGET');
    }
  }

  /** Sets (or, with undefined, drops) the keys held under `id` and saves them all; on a failed save, puts back what was there. */
  async function changeKeys(id: string, keys: Credentials | undefined, refusal: (reason: string) => string): Promise<void> {
    const before = manualKeys.get(id);
    if (keys) manualKeys.set(id, keys);
    else manualKeys.delete(id);
    try {
      await keyStore?.save(Object.fromEntries(manualKeys));
    } catch (error) {
      if (before) manualKeys.set(id, before);
      else manualKeys.delete(id);
      throw new HostError(refusal(error instanceof Error ? error.message.replace(/\.$/, '') : String(error)));
    }
  }

  async function credentialsOf(ref: CredentialRef): Promise<Credentials> {
    let source: CredentialSource;
    if (ref.kind === 'manual') {
      const held = manualKeys.get(ref.id);
      if (!held) throw new HostError('Those manual keys are no longer held by the host (it was restarted); enter them again.', 'NOT_FOUND');
      return held;
    }
    if (ref.kind === 'profile') source = { kind: 'profile', profile: ref.profile };
    else if (ref.kind === 'default-chain') source = { kind: 'default' };
    else source = { kind: 'demo' };
    try {
      return await resolveCredentials(source);
    } catch (error) {
      if (isAppError(error) && error.code === 'CREDENTIALS' && ref.kind === 'default-chain' && (error as CredentialsError).why !== undefined) {
        throw new HostError(`Could not find AWS credentials (${(error as CredentialsError).why}); choose a profile or "Enter keys…" in the top bar, or send to the embedded endpoint with Demo keys.`);
      }
      throw new HostError(sentenceOf(error), 'CREDENTIALS');
    }
  }

  async function dispatch(input: { id: string; operation: Operation; body: string; target: TargetSpec; credentials: CredentialRef; options?: SendOptions; tags?: string[] }): Promise<SendResult> {
    if (inFlight.has(input.id)) throw new HostError('A send with this id is already in flight; wait for it or cancel it.', 'CONFLICT');
    if (!input.options?.skipValidation) {
      const check = checkText(input.body, input.operation);
      const first = check.problems[0];
      if (first) {
        const more = check.problems.length - 1;
        throw new HostError(`The request is not valid: ${first.path || 'the document'}: ${first.message}${more > 0 ? ` (and ${more} more problem${more === 1 ? '' : 's'})` : ''}`);
      }
    }
    const target = targetOf(input.target);
    const credentials = await credentialsOf(input.credentials);
    // A per-send timeout gets its own short-lived pool; the usual case shares the host's.
    const timeoutMs = input.options?.timeoutMs;
    const oneOff = timeoutMs !== undefined && timeoutMs !== settings.timeoutMs ? await transportFor({ ...settings, timeoutMs }) : undefined;
    const handle = engineSend(oneOff ? engineFor(oneOff) : engine, {
      operation: input.operation,
      body: input.body,
      target,
      credentials,
      maxAttempts: input.options?.maxAttempts ?? settings.maxAttempts,
      ...(input.tags ? { tags: input.tags } : {}),
    });
    inFlight.set(input.id, handle);
    try {
      const result = await handle.response;
      const signature = reportOf(result.report);
      return {
        id: input.id,
        historyId: result.id,
        request: requestForUi(result.request),
        outcome: result.outcome,
        attempts: result.attempts,
        ...(result.timings ? { timings: result.timings } : {}),
        ...(signature ? { signature } : {}),
      };
    } finally {
      inFlight.delete(input.id);
      await oneOff?.close();
    }
  }

  async function info(): Promise<EndpointInfo> {
    const stats = endpoint.admin.stats();
    return {
      running: true,
      url: endpoint.url,
      region: endpoint.region,
      anyRegion: endpoint.anyRegion,
      accessKeyId: endpoint.credentials[0]?.accessKeyId ?? '',
      counts: { received: stats.received, accepted: stats.accepted, rejected: stats.rejected, devices: endpoint.admin.devices().length },
      faults: endpoint.admin.faults(),
      recent: endpoint.admin.recentHeartbeats(RECENT_ACTIVITY).map(activityOf),
    };
  }

  async function exportText(query: Parameters<HeartbeatApi['history']['export']>[0], format: HistoryExportFormat): Promise<{ fileName: string; mediaType: string; text: string }> {
    if (format !== 'jsonl' && format !== 'har') throw new HostError('Export as "jsonl" or "har".');
    const folder = await mkdtemp(join(tmpdir(), 'heartbeat-export-'));
    try {
      const file = join(folder, `export.${format}`);
      await exportHistory(store.index, { ...indexQuery(query), offset: 0, limit: Number.MAX_SAFE_INTEGER }, format, file);
      const stamp = new Date().toISOString().replace(/[:.]/g, '-');
      return {
        fileName: `heartbeat-history-${stamp}.${format === 'har' ? 'har' : 'jsonl'}`,
        mediaType: format === 'har' ? 'application/json' : 'application/x-ndjson',
        text: await readFile(file, 'utf8'),
      };
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  }

  const api: HeartbeatApi = {
    send: (request) => dispatch(request),
    async cancel(id) {
      const handle = inFlight.get(id);
      if (!handle) return false;
      handle.cancel();
      return true;
    },
    history: {
      async query(query) {
        const q = indexQuery(query);
        return pageOf(store.index.query(q), q);
      },
      async get(id) {
        const summary = store.index.summary(id);
        const stored = summary ? await store.index.get(id) : undefined;
        return summary && stored ? entryOf(stored, summaryOf(summary)) : undefined;
      },
      export: exportText,
      async clear(selection) {
        if (inFlight.size > 0) throw new HostError('Sends are still in flight; wait for them (or cancel them) before clearing the history.', 'CONFLICT');
        const { offset: _offset, limit: _limit, ...query } = 'all' in selection ? {} : indexQuery(selection.query);
        return { removed: await store.forget('all' in selection ? 'all' : query) };
      },
      async prune(rule) {
        if (rule.olderThanDays === undefined && rule.keep === undefined) throw new HostError('Say what to prune: entries older than some days, or all but the newest N.');
        const removed = await store.prune({ ...(rule.olderThanDays !== undefined ? { olderThanMs: rule.olderThanDays * DAY_MS } : {}), ...(rule.keep !== undefined ? { keep: rule.keep } : {}) });
        return { removed };
      },
    },
    async replay(id, overrides = {}) {
      const stored = await store.index.get(id);
      if (!stored) throw new HostError('That history entry no longer exists; refresh the history.', 'NOT_FOUND');
      const { request } = stored;
      if (!isOperation(request.operation)) throw new HostError('That entry is not a request to an operation of the service, so it cannot be sent again.');
      const original: TargetSpec =
        request.type === 'exchange' || request.target.kind === 'local'
          ? { kind: 'local' }
          : request.target.kind === 'region'
            ? { kind: 'region', region: request.target.region }
            : { kind: 'url', url: request.target.url, region: request.target.region };
      const target = overrides.target ?? original;
      // Without credentials given, the ones it was signed with: demo keys when its key id is the demo one.
      const keyId = /Credential=([^/,\s]+)\//.exec(request.request.headers.authorization ?? '')?.[1];
      const signedWithDemo = keyId === DEMO_CREDENTIALS.accessKeyId || request.type === 'exchange' || request.target.kind === 'local';
      return dispatch({
        id: overrides.sendId ?? `replay-${randomBytes(8).toString('hex')}`,
        operation: request.operation,
        body: request.request.body,
        target,
        credentials: overrides.credentials ?? (target.kind === 'local' || signedWithDemo ? { kind: 'demo' } : { kind: 'default-chain' }),
        options: { skipValidation: true, ...overrides.options },
        tags: [`replay-of:${id}`],
      });
    },
    credentials: {
      async profiles() {
        try {
          return (await listProfiles()).map((p) => p.name);
        } catch {
          return [];
        }
      },
      async registerManualKeys(keys) {
        const accessKeyId = typeof keys?.accessKeyId === 'string' ? keys.accessKeyId.trim() : '';
        const secretAccessKey = typeof keys?.secretAccessKey === 'string' ? keys.secretAccessKey.trim() : '';
        const sessionToken = typeof keys?.sessionToken === 'string' ? keys.sessionToken.trim() : '';
        if (!/^[A-Z0-9]{16,128}$/.test(accessKeyId)) throw new HostError('The access key id should be 16 to 128 capital letters and digits, like AKIAIOSFODNN7EXAMPLE.');
        if (secretAccessKey.length < 16) throw new HostError('The secret access key looks too short; paste the whole key.');
        // The same access key id again replaces its secret (a rotated key) and keeps its id, so keys do not pile up.
        const known = [...manualKeys].find(([, held]) => held.accessKeyId === accessKeyId);
        const id = known?.[0] ?? randomBytes(12).toString('hex');
        await changeKeys(id, { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) }, (reason) => `The keys could not be stored (${reason}); they were not kept.`);
        return { id, accessKeyIdLast4: accessKeyId.slice(-4) };
      },
      async manualKeys() {
        return [...manualKeys].map(([id, held]) => ({ id, accessKeyIdLast4: held.accessKeyId.slice(-4) }));
      },
      async forgetManualKeys(id) {
        if (!manualKeys.has(id)) return false;
        await changeKeys(id, undefined, (reason) => `The stored keys could not be updated (${reason}); the keys are still held.`);
        return true;
      },
    },
    endpoint: {
      info,
      async setFaults(faults) {
        try {
          endpoint.admin.setFaults(faults);
        } catch (error) {
          throw new HostError(sentenceOf(error));
        }
        return info();
      },
      async reset() {
        endpoint.admin.reset();
        return info();
      },
    },
    settings: {
      async get() {
        return settings;
      },
      async update(patch) {
        const next = applySettings(settings, patch);
        if (next.timeoutMs !== settings.timeoutMs || next.caBundle !== settings.caBundle) {
          let fresh: Transport;
          try {
            fresh = await transportFor(next);
          } catch (error) {
            throw new HostError(sentenceOf(error), 'TRANSPORT_CONFIG');
          }
          const old = transport;
          transport = fresh;
          engine = engineFor(fresh);
          void old.close();
        }
        await saveSettings(settingsFile, next);
        const retentionChanged = next.retentionDays !== settings.retentionDays || next.retentionKeep !== settings.retentionKeep;
        settings = next;
        if (retentionChanged) void applyRetention();
        return settings;
      },
    },
    subscribe(listener) {
      listeners.add(listener);
      if (startupNotice) queueMicrotask(() => listeners.has(listener) && listener({ type: 'notice', message: startupNotice }));
      return () => listeners.delete(listener);
    },
  };

  return {
    api: withArgumentChecks(api, (sentence) => new HostError(sentence)),
    endpoint,
    settings: () => settings,
    async close() {
      for (const handle of inFlight.values()) handle.cancel();
      stopActivity();
      stopHistoryEvents();
      clearInterval(retentionTimer);
      listeners.clear();
      manualKeys.clear();
      await Promise.allSettled([endpoint.close(), transport.close(), store.close()]);
    },
  };
}
