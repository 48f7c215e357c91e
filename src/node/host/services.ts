/**
 * The in-process HeartbeatApi: everything the UI needs, composed from small services — sends
 * (send-api.ts over the one send service, src/node/services/send-service.ts), history
 * (history-service.ts), credentials (keys-service.ts), the embedded endpoint (endpoint-service.ts), fleet
 * runs (fleet-service.ts), captures and their runs (capture-service.ts, run-service.ts), environments
 * (environments-service.ts) and settings (settings-service.ts) — and their events. The Electron main process and the browser-mode
 * loopback host both expose this object; tests and the CLI call it directly. Secrets stay in this
 * process (docs/architecture.md#security-model).
 */
import { dirname, join } from 'node:path';
import type { FleetRunSummary, HeartbeatApi, HostSettings, ManualKeys } from '../../common/api.ts';
import { withArgumentChecks } from '../../common/api-args.ts';
import { startEndpoint, type EndpointOptions, type RunningEndpoint } from '../endpoint/index.ts';
import { environmentsFile, historyDir as defaultHistoryDir } from '../history/paths.ts';
import { createSendService } from '../services/send-service.ts';
import { createCaptureService, type CaptureService } from './capture-service.ts';
import { createEndpointService } from './endpoint-service.ts';
import { createEnvironmentsService } from './environments-service.ts';
import { createEventHub } from './events.ts';
import { createFleetService } from './fleet-service.ts';
import { HostError } from './host-error.ts';
import { createHistoryService, type HistoryService } from './history-service.ts';
import { createKeysService } from './keys-service.ts';
import { createRunService } from './run-service.ts';
import { createSendApi } from './send-api.ts';
import { createSettingsService, transportOf } from './settings-service.ts';
import { defaultSettings, defaultSettingsFile, legacySettingsFile, loadSettings } from './settings.ts';

export interface HostOptions {
  /** Default: $HEARTBEAT_HISTORY_DIR or the user's data folder (src/node/history/paths.ts). */
  historyDir?: string;
  /** Default: settings.json in the app's configuration folder (src/node/history/paths.ts configDir). */
  settingsFile?: string;
  /** Options of the embedded endpoint started with the host (default: any free loopback port). */
  endpoint?: EndpointOptions;
  /** The environments file (docs/variables.md#environments); default: environments.yaml beside the settings file. */
  environmentsFile?: string;
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
  /** Records a fleet run's summary as one history entry (docs/history.md#fleet-run-entries): its id, once fsynced and listed. */
  recordRun(summary: FleetRunSummary, tags?: string[]): Promise<string>;
  close(): Promise<void>;
}

export async function startHostServices(options: HostOptions = {}): Promise<HostServices> {
  const settingsFile = options.settingsFile ?? defaultSettingsFile();
  let initial = await loadSettings(
    settingsFile,
    defaultSettings(options.historyDir ?? defaultHistoryDir()),
    options.settingsFile ? undefined : legacySettingsFile(),
  );
  // An explicit folder (flag, test, env) wins over the saved one.
  if (options.historyDir) initial = { ...initial, historyDir: options.historyDir };
  const events = createEventHub();
  const transport = await transportOf(initial).catch(() => transportOf({ ...initial, caBundle: '' }));
  let history: HistoryService | undefined;
  let endpoint: RunningEndpoint;
  const settings = createSettingsService(settingsFile, initial, {
    transportChanged: (t) => sends.useTransport(t),
    retentionChanged: () => void history?.applyRetention(),
  });
  const sends = createSendService({
    transport,
    transportFor: (timeoutMs) => transportOf({ ...settings.current(), timeoutMs }),
    history: { record: (line, durable) => history!.store.record(line, durable) },
  });
  try {
    history = await createHistoryService(initial.historyDir, settings.current, events, () => sendApi.inFlight() > 0);
    endpoint = await startEndpoint(options.endpoint ?? {});
  } catch (error) {
    // A busy port (EADDRINUSE, kept in the error) is the caller's to handle; nothing may stay open.
    await Promise.allSettled([sends.close(), history?.close()]);
    throw error;
  }
  const keys = await createKeysService(options.manualKeyStore);
  const endpointService = createEndpointService(endpoint, events);
  const sendApi = createSendApi({ sends, store: history.store, endpoint, credentialsOf: keys.credentialsOf, settings: settings.current });
  const fleet = createFleetService({
    sends,
    endpoint,
    events,
    targetOf: sendApi.targetOf,
    credentialsOf: keys.credentialsOf,
    historyDir: () => settings.current().historyDir,
    recordRun: (summary, tags) => history!.recordRun(summary, tags),
    maxAttempts: () => settings.current().maxAttempts,
  });
  const runs = createRunService({
    sends,
    events,
    captures: () => captures,
    targetOf: sendApi.targetOf,
    credentialsOf: keys.credentialsOf,
    maxAttempts: () => settings.current().maxAttempts,
    history: { record: (line, durable) => history!.store.append(line, durable) },
  });
  const captures: CaptureService = createCaptureService({ events, runResults: runs.results, closing: runs.captureClosing });
  // An explicit file (tests) wins; else $HEARTBEAT_ENVIRONMENTS or the configuration folder's, as the CLI reads it;
  // a host given its own settings file (tests, a second profile) keeps its environments beside it.
  const environments = createEnvironmentsService(
    options.environmentsFile ?? (options.settingsFile ? join(dirname(settingsFile), 'environments.yaml') : environmentsFile()),
  );
  const startupNotice = history.startupNotice;
  const api: HeartbeatApi = {
    ...sendApi.api,
    history: history.api,
    credentials: keys.api,
    endpoint: endpointService.api,
    fleet: fleet.api,
    captures: captures.api,
    runs: runs.api,
    environments: environments.api,
    settings: settings.api,
    subscribe(listener) {
      let listening = true;
      const stop = events.subscribe(listener);
      if (startupNotice) queueMicrotask(() => listening && listener({ type: 'notice', message: startupNotice }));
      return () => {
        listening = false;
        stop();
      };
    },
  };
  return {
    api: withArgumentChecks(api, (sentence) => new HostError(sentence)),
    endpoint,
    settings: settings.current,
    recordRun: (summary, tags) => history!.recordRun(summary, tags),
    async close() {
      sendApi.cancelAll();
      await fleet.close();
      await runs.close();
      captures.close();
      endpointService.close();
      events.clear();
      keys.close();
      await Promise.allSettled([endpoint.close(), sends.close(), history!.close()]);
    },
  };
}
