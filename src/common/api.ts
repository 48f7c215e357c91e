/**
 * HeartbeatApi: the whole surface the UI needs from a host (docs/architecture.md#one-api-three-hosts). Three hosts implement it —
 * Electron IPC, the loopback HTTP host of browser mode, and an in-process one for the CLI and tests —
 * and one contract suite runs against all of them.
 *
 * Data types only. Secrets never travel from a host to the renderer: credentials are named (profile
 * names, "demo"), and manual keys are handed to the host once and referred to by an id afterwards.
 */
import type { Operation } from './model/index.ts';
import type { DeploymentPlan, DeploymentPlanStatus, FleetReport, FleetReportOptions } from './endpoint-fleet-types.ts';
import type { EndpointExchange } from './endpoint-exchange.ts';
import type { AttemptRecord, LoggedRequest, Outcome, TargetRecord, Timings } from './log/entry.ts';
import type { FleetRunSummary } from './fleet/summary.ts';

export type { AttemptRecord, FleetRunSummary, LoggedRequest, Outcome, TargetRecord, Timings };

export type * from './endpoint-fleet-types.ts';
export type * from './endpoint-exchange.ts';
export type * from './fleet/api-types.ts';
export type * from './capture/types.ts';
export type * from './capture/api-types.ts';
export type * from './variables/types.ts';

/** Where to send: the embedded endpoint, an AWS region, or any URL. */
export type TargetSpec =
  { kind: 'local' } | { kind: 'region'; region: string; fips?: boolean } | { kind: 'url'; url: string; region: string };

/** Which credentials the host signs with. Never the keys themselves, except `registerManualKeys`. */
export type CredentialRef =
  { kind: 'demo' } | { kind: 'default-chain' } | { kind: 'profile'; profile: string } | { kind: 'manual'; id: string };

/** Keys typed by the user, handed to the host once; the host keeps them in memory and returns an id. */
export interface ManualKeys {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

/** Manual keys as the renderer knows them: never the keys themselves. */
export interface ManualKeyRef {
  id: string;
  accessKeyIdLast4: string;
}

export interface SendOptions {
  timeoutMs?: number;
  maxAttempts?: number;
  /** Send even when the body fails validation (to test a server's rejection). */
  skipValidation?: boolean;
}

/** How a history entry is sent again; `sendId` (chosen by the caller, like SendRequest.id) lets it cancel the new send. */
export interface ReplayOverrides {
  sendId?: string;
  target?: TargetSpec;
  credentials?: CredentialRef;
  options?: SendOptions;
}

export interface SendRequest {
  /** Chosen by the caller so it can cancel before the send settles. */
  id: string;
  operation: Operation;
  /** The wire body exactly as composed. */
  body: string;
  target: TargetSpec;
  credentials: CredentialRef;
  options?: SendOptions;
}

/** What SigV4 signed, as botocore --debug shows it; neither the secret nor the signature is included. */
export interface SignatureReport {
  algorithm: 'AWS4-HMAC-SHA256';
  canonicalRequest: string;
  stringToSign: string;
  credentialScope: string;
  signedHeaders: string[];
  accessKeyIdLast4: string;
  amzDate: string;
}

export interface SendResult {
  /** The caller's id of the send. */
  id: string;
  /** The id of its history entry. */
  historyId: string;
  request: LoggedRequest;
  outcome: Outcome;
  attempts: AttemptRecord[];
  timings?: Timings;
  signature?: SignatureReport;
}

/** error = a service error, a transport error or a cancelled send. */
export type HistoryStatus = 'success' | 'error' | 'pending';

export interface HistoryQuery {
  /** Case-insensitive text in the device, fleet or a model name. */
  text?: string;
  /** Exact device name. */
  device?: string;
  /** Exact fleet name. */
  fleet?: string;
  status?: HistoryStatus;
  /** ISO 8601 bounds: from inclusive, to exclusive. */
  from?: string;
  to?: string;
  /** Page size, default 50, at most 500. */
  limit?: number;
  /** Opaque cursor from a previous page. */
  cursor?: string;
}

/** What `history.clear` removes: what a query selects (its cursor and limit are ignored), or everything. */
export type HistoryClearSelection = { query: HistoryQuery } | { all: true };

/** A retention rule; each part that is set applies. */
export interface HistoryPruneRule {
  olderThanDays?: number;
  keep?: number;
}

/** What the history list shows of a fleet run (docs/history.md#fleet-run-entries). */
export interface HistoryRunFacts {
  scenario: string;
  devices: number;
  /** Requests sent and failed over all operations. */
  sent: number;
  failed: number;
  elapsedMs: number;
  /** The run ended before its duration (stopped by the user or a signal). */
  stopped: boolean;
}

/** One line of the history list: what it shows without reading the entry from disk. */
export interface HistorySummary {
  id: string;
  /** ISO 8601; a fleet run's is its end. */
  time: string;
  /** A send's entry has no kind (or 'send'); a fleet run's summary is one entry of kind 'run', with `run` set. */
  kind?: 'send' | 'run';
  /** The operation sent, or `fleet-run` for a fleet run. */
  operation: string;
  deviceName?: string;
  fleetName?: string;
  status: HistoryStatus;
  /** HTTP status of the answer, when one came. */
  httpStatus?: number;
  /** x-amzn-ErrorType, or the transport failure's code. */
  errorType?: string;
  durationMs?: number;
  /** A fleet run's facts (kind 'run' only). */
  run?: HistoryRunFacts;
}

/** A whole sent entry: the request as sent (signature redacted) and what came of it. */
export interface HistorySendEntry extends HistorySummary {
  kind?: 'send';
  target: TargetRecord;
  request: LoggedRequest;
  outcome?: Outcome;
  attempts?: AttemptRecord[];
  timings?: Timings;
}

/** A fleet run's entry: its whole summary. It has no request: it cannot be opened in the composer or sent again. */
export interface HistoryRunEntry extends HistorySummary {
  kind: 'run';
  run: HistoryRunFacts;
  summary: FleetRunSummary;
  tags?: string[];
}

/** A whole history entry: a send (tell them apart by `kind`), or a fleet run's summary. */
export type HistoryEntry = HistorySendEntry | HistoryRunEntry;

export interface HistoryPage {
  /** Newest first. */
  entries: HistorySummary[];
  total: number;
  nextCursor?: string;
}

export type HistoryExportFormat = 'jsonl' | 'har';

export interface ExportedFile {
  fileName: string;
  mediaType: string;
  text: string;
}

/** Fault injection of the embedded endpoint (the same settings as `heartbeat serve --latency/--error-rate`). */
export interface FaultSettings {
  /** Added before answering, in milliseconds. */
  latencyMs?: number;
  /** Latency varies uniformly by ± this much. */
  latencyJitterMs?: number;
  /** Probability 0..1 that a request fails with `errorType`. */
  errorRate?: number;
  /** Every Nth request fails with `errorType` (0 = off). */
  failEveryNth?: number;
  errorType?: 'InternalServiceException' | 'ThrottlingException';
  /** Retry-After of an injected ThrottlingException, in seconds. */
  retryAfterSeconds?: number;
}

/** One request the embedded endpoint answered (what its live view lists). */
export interface EndpointActivity {
  id: string;
  /** ISO 8601. */
  time: string;
  operation: string;
  status: number;
  errorType?: string;
  message?: string;
  requestId: string;
  handlingMs: number;
  /** True when a fault setting produced the answer. */
  injected?: boolean;
  deviceName?: string;
  deviceFleetName?: string;
}

export interface EndpointInfo {
  running: boolean;
  url: string;
  /** The region the app signs for when sending to it. */
  region: string;
  /** True when it accepts a signature scoped to any region (no region pinned). */
  anyRegion: boolean;
  /** The demo key id; its (public, demo-only) secret is DEMO_CREDENTIALS in src/common/demo.ts. */
  accessKeyId: string;
  counts: { received: number; accepted: number; rejected: number; devices: number };
  faults: Required<FaultSettings>;
  /** The latest requests, newest last (at most 50). */
  recent: EndpointActivity[];
}

/** Host-side settings, persisted by the host. Theme and layout live in the renderer. */
export interface HostSettings {
  /** Connect and read timeout of a send, milliseconds. */
  timeoutMs: number;
  maxAttempts: number;
  /** A PEM file of extra trusted CAs for HTTPS targets; empty for none. */
  caBundle: string;
  /** Folder of the history log (takes effect at the next launch). */
  historyDir: string;
  /** Retention: entries older than this many days are removed at start and every hour (0 keeps them). */
  retentionDays: number;
  /** Retention: only the newest this many entries are kept (0 keeps all). */
  retentionKeep: number;
}

export type HostEvent =
  /** The embedded endpoint answered a request. */
  | {
      type: 'endpoint-activity';
      /** Oldest first: at most ACTIVITY_BATCH_LIMIT of the requests since the previous batch (a batch at most every ACTIVITY_BATCH_MS). */
      activities: EndpointActivity[];
      /** Requests answered in the same time but left out of `activities` (a flood: the counts come from info()). */
      skipped: number;
    }
  /**
   * A history entry was written or completed (a send, a replay, from any window or process). Batched: the
   * entries of HISTORY_BATCH_MS go together, and more than HISTORY_BATCH_LIMIT of them (a run's flood)
   * come as one `history-reset` instead, then at most one per HISTORY_FLOOD_MS while the flood lasts
   * (src/node/host/history-service.ts).
   */
  | { type: 'history'; entry: HistorySummary }
  /** The history changed as a whole (entries cleared or pruned, here or by another process): query it again. */
  | { type: 'history-reset' }
  /** Something the user should know that no call of theirs returned, e.g. malformed history lines were skipped. */
  | { type: 'notice'; message: string }
  /** A fleet run's state, at most twice a second while it runs, and once when it ends; `devices`: one DEVICE_STATUS_CODES character per device. */
  | { type: 'fleet'; state: import('./fleet/api-types.ts').FleetState; devices: string }
  /** A capture being read: its counts, at most four times a second, and once when it is ready. */
  | { type: 'capture'; info: import('./capture/api-types.ts').CaptureInfo }
  /** A run's progress at most four times a second (and once when it ends), with the item results since the previous event. */
  | { type: 'run'; state: import('./capture/api-types.ts').RunState; results: import('./capture/api-types.ts').RunItemResult[] };

export type Unsubscribe = () => void;

export interface HeartbeatApi {
  send(request: SendRequest): Promise<SendResult>;
  /** Cancels a send in flight; resolves false when it had already settled. */
  cancel(id: string): Promise<boolean>;
  history: {
    query(query: HistoryQuery): Promise<HistoryPage>;
    get(id: string): Promise<HistoryEntry | undefined>;
    export(query: HistoryQuery, format: HistoryExportFormat): Promise<ExportedFile>;
    /**
     * Removes the entries a query selects (`{ all: true }`: every entry), from every reader at once and
     * from the disk as docs/history.md says; resolves with how many went.
     */
    clear(selection: HistoryClearSelection): Promise<{ removed: number }>;
    /** Removes entries older than `olderThanDays` and/or all but the newest `keep`; resolves with how many went. */
    prune(rule: HistoryPruneRule): Promise<{ removed: number }>;
  };
  /** Sends a history entry's request again (newly signed), optionally to another target. */
  replay(id: string, overrides?: ReplayOverrides): Promise<SendResult>;
  credentials: {
    /** Profile names from the shared config and credentials files. */
    profiles(): Promise<string[]>;
    /** Keeps keys in the host (encrypted between launches in the desktop app); the same access key id again replaces its secret and keeps its id. */
    registerManualKeys(keys: ManualKeys): Promise<ManualKeyRef>;
    /** The manual keys the host holds (kept from earlier launches too), by id and last 4 characters of the access key id. */
    manualKeys(): Promise<ManualKeyRef[]>;
    /** Drops held keys (and their stored copy); false when there were none by that id. */
    forgetManualKeys(id: string): Promise<boolean>;
  };
  endpoint: {
    info(): Promise<EndpointInfo>;
    /** Replaces the fault settings (unset fields turn off); rejects with a sentence when invalid. */
    setFaults(faults: FaultSettings): Promise<EndpointInfo>;
    /** Forgets devices, counts, recent requests and the deployment plans created at run time (the config file's start again). */
    reset(): Promise<EndpointInfo>;
    /**
     * One of the latest requests the endpoint answered, in full: the request (signature and token
     * redacted), the answer and the verdict, by its EndpointActivity id; undefined when the endpoint no
     * longer keeps it (it keeps the latest EXCHANGES_KEPT, docs/endpoint.md#recent-exchanges).
     */
    exchange(id: string): Promise<EndpointExchange | undefined>;
    /** Per fleet and per device: Connected/Offline, models (active, sampling), agent versions (docs/endpoint.md#fleet-report). */
    fleetReport(options?: FleetReportOptions): Promise<FleetReport>;
    /** The staged deployment plans and their progress (docs/endpoint.md#deployment-plans). */
    deploymentPlans(): Promise<DeploymentPlanStatus[]>;
    /** Checks and starts a plan; rejects with a sentence naming the member when invalid, or when its name is in use. */
    createDeploymentPlan(plan: DeploymentPlan): Promise<DeploymentPlanStatus>;
    /** Stops handing a plan out; rejects when there is no plan by that name. */
    cancelDeploymentPlan(name: string): Promise<DeploymentPlanStatus>;
  };
  /** Simulated devices from a scenario (docs/fleet.md#the-app-and-heartbeatapi); one run at a time. */
  fleet: {
    /** Checks the scenario (every problem: rejects with the first and the count) and starts the run. */
    start(request: import('./fleet/api-types.ts').FleetStartRequest): Promise<import('./fleet/api-types.ts').FleetState>;
    /** Holds the run under way: nothing is sent and its clock stands still until resume(); its state. */
    pause(): Promise<import('./fleet/api-types.ts').FleetState | undefined>;
    resume(): Promise<import('./fleet/api-types.ts').FleetState | undefined>;
    /** Ends the run under way (answers in flight are awaited); its state, or undefined when there was no run. */
    stop(): Promise<import('./fleet/api-types.ts').FleetState | undefined>;
    /** The latest run's state (running or finished), or undefined. */
    state(): Promise<import('./fleet/api-types.ts').FleetState | undefined>;
    /** Every device of the latest run: its state, models and last deployment. */
    devices(): Promise<import('./fleet/api-types.ts').FleetDevice[]>;
    /** One device in detail (watched from the first call: its latest heartbeat, its metrics since); undefined when not in the run. */
    device(name: string): Promise<import('./fleet/api-types.ts').FleetDeviceDetail | undefined>;
  };
  /**
   * Captures (docs/captures.md): a file of many requests, streamed to the host in text chunks and
   * indexed there; the page asks for the rows it shows. Captures live until closed or the host stops.
   */
  captures: {
    /** Starts reading a capture (the format detected from the name and the first chunk unless given). */
    open(request: import('./capture/api-types.ts').CaptureOpenRequest): Promise<import('./capture/api-types.ts').CaptureInfo>;
    /** The next piece of the text (split anywhere); resolves once it is indexed. */
    append(id: string, text: string): Promise<import('./capture/api-types.ts').CaptureInfo>;
    /** The end of the text: the last items are indexed and the capture is ready. */
    finish(id: string): Promise<import('./capture/api-types.ts').CaptureInfo>;
    info(id: string): Promise<import('./capture/api-types.ts').CaptureInfo | undefined>;
    /** A page of the table, with a run's results and filter. */
    rows(id: string, query: import('./capture/api-types.ts').CaptureRowsQuery): Promise<import('./capture/api-types.ts').CaptureRows>;
    /** One item with its body (to open it in the composer); undefined when there is no such item. */
    item(id: string, index: number): Promise<import('./capture/types.ts').CaptureItem | undefined>;
    /** Its problems and skipped parts, a page at a time. */
    issues(id: string, offset: number, limit: number): Promise<import('./capture/api-types.ts').CaptureIssues>;
    /** Forgets the capture (and stops its run); false when there was none. */
    close(id: string): Promise<boolean>;
  };
  /** Runs of a capture's items (docs/runs.md): one send each, recorded in the history, compared with the recorded outcome. */
  runs: {
    start(request: import('./capture/api-types.ts').RunStartRequest): Promise<import('./capture/api-types.ts').RunState>;
    /** Nothing new is sent until resume(); sends in flight finish. */
    pause(id: string): Promise<import('./capture/api-types.ts').RunState | undefined>;
    resume(id: string): Promise<import('./capture/api-types.ts').RunState | undefined>;
    /** Cancels the run: sends in flight are cancelled; resolves once it has ended. */
    cancel(id: string): Promise<import('./capture/api-types.ts').RunState | undefined>;
    state(id: string): Promise<import('./capture/api-types.ts').RunState | undefined>;
    /** The run's results as JSON lines or JUnit XML. */
    export(id: string, format: import('./capture/api-types.ts').RunExportFormat): Promise<ExportedFile>;
  };
  /** Named environments of variables for `{{name}}` in requests (docs/variables.md), kept in a YAML file. */
  environments: {
    get(): Promise<import('./variables/types.ts').EnvironmentsFile>;
    /** Replaces the file's text; rejects with the first problem (line:column) when it is not a valid environments file. */
    save(text: string): Promise<import('./variables/types.ts').EnvironmentsFile>;
  };
  settings: {
    get(): Promise<HostSettings>;
    update(patch: Partial<HostSettings>): Promise<HostSettings>;
  };
  /** Live events from the host; the listener is called until the returned function is. */
  subscribe(listener: (event: HostEvent) => void): Unsubscribe;
}

/** Application-menu commands the desktop app's main process hands the page (Electron only). */
export type MenuCommand =
  /** A request document the user picked in the native open dialog. */
  | { command: 'open'; fileName: string; text: string }
  /**
   * A picked file too large to hand over whole (over 16 MiB: a capture, docs/runs.md#the-run-view): the
   * page reads it a piece at a time with DesktopBridge.readPickedFile and `file`, an id main gave it.
   */
  | { command: 'open-file'; fileName: string; size: number; file: string }
  /** A file in any import format (an aws command, cli-input JSON/YAML); the renderer detects which. */
  | { command: 'import'; fileName: string; text: string }
  /** Save the current document the way the page's Save button does (Electron asks where, natively). */
  | { command: 'save' }
  /** View → Presenter Mode: the fleet view, full screen, large (its shortcut in the page is Ctrl+Shift+P). */
  | { command: 'presenter' };

/** The desktop-only bridge (`window.heartbeatDesktop`): the application menu's commands and the files the user picked there. */
export interface DesktopBridge {
  onMenuCommand(listener: (command: MenuCommand) => void): () => void;
  /** Up to `length` bytes (at most 4 MiB) of a file named by an `open-file` command, from `offset`; none at its end. */
  readPickedFile(file: string, offset: number, length: number): Promise<Uint8Array<ArrayBuffer>>;
}

/**
 * The HTTP binding of HeartbeatApi used by browser mode: every call is `POST /api/<route>` (routeOf in
 * api-args.ts: `/api/history/query` for history.query) with a JSON body of the named arguments and
 * `Authorization: Bearer <token>`; the answer is `{ "result": ... }` or, with a 4xx/5xx status,
 * `{ "error": { "message": "<one sentence>" } }`. Events: `GET /api/events` (EVENTS_ROUTE) as
 * server-sent events, one `data:` line of a HostEvent per event.
 */
export interface HttpErrorBody {
  error: { message: string };
}
