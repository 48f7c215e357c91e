/**
 * The composer's file and clipboard I/O: open or drop a file, paste text in any import format, save
 * the request, copy it as a command or snippet, load an example. Loading replaces the document as one
 * undoable edit, so nothing typed is lost to a stray drop.
 */
import { shallowRef } from 'vue';
import type { Operation } from '../../common/model/index.ts';
import { DEFAULT_REGION, exportText, type ExportFormat, type ExportTarget } from '../../common/formats/index.ts';
import type { TargetSpec } from '../../common/api.ts';
import { useDocumentStore } from '../stores/document.ts';
import { useSessionStore } from '../stores/session.ts';
import { importForComposer, opensAsCapture, type ImportChoice, type ImportResult } from '../io/import.ts';
import { DETECT_HEAD_CHARS } from '../../common/capture/detect.ts';
import { useRunsStore } from '../stores/runs.ts';
import { useRuns, type CaptureSource } from './use-runs.ts';
import { EXAMPLES } from '../io/examples.ts';
import { download } from './use-history.ts';
import { usePlatform } from './platform.ts';

/** Where `heartbeat ui` starts the embedded endpoint unless told otherwise. */
const DEFAULT_LOCAL_ENDPOINT = 'http://127.0.0.1:8787';
/** Files larger than this are refused before reading (the host caps a request at 16 MiB too). */
export const MAX_IMPORT_BYTES = 16 * 1024 * 1024;

export const COPY_FORMATS: { format: ExportFormat; label: string }[] = [
  { format: 'aws-cli', label: 'AWS CLI command' },
  { format: 'curl', label: 'curl command' },
  { format: 'js', label: 'JavaScript (AWS SDK v3)' },
  { format: 'python', label: 'Python (boto3)' },
  { format: 'r', label: 'R (paws)' },
  { format: 'json', label: 'cli-input-json' },
  { format: 'yaml', label: 'cli-input-yaml' },
];

/** A target in words: "the embedded endpoint", "eu-west-1", "https://…". */
export function targetLabel(target: TargetSpec): string {
  if (target.kind === 'local') return 'the embedded endpoint';
  if (target.kind === 'region') return `the AWS region ${target.region}`;
  return `${target.url} (signing region ${target.region})`;
}

function sameOrigin(a: string, b: string): boolean {
  try {
    return new URL(a).origin === new URL(b).origin;
  } catch {
    return false;
  }
}

export function exportTarget(target: TargetSpec, localUrl: string): ExportTarget {
  if (target.kind === 'local') return { endpointUrl: localUrl, region: 'us-east-1' };
  if (target.kind === 'region') return { region: target.region };
  return { endpointUrl: target.url, region: target.region };
}

export function useComposerIo() {
  const { api } = usePlatform();
  const documentStore = useDocumentStore();
  const session = useSessionStore();
  /** The latest import's or copy's outcome, one sentence, for a status line. */
  const notice = shallowRef('');
  /** Problems of the latest import that could not be loaded. */
  const importProblems = shallowRef<ImportResult['problems']>([]);
  let localUrl: string | undefined;
  /** The target before an import switched it, for "Keep …" next to the notice. */
  const targetChange = shallowRef<{ previous: TargetSpec; label: string } | undefined>(undefined);
  // Known early, so a pasted command aimed at the embedded endpoint keeps the embedded endpoint as the target.
  if (session.platformKind !== 'offline') {
    api.endpoint.info().then(
      (info) => (localUrl ??= info.url),
      () => undefined,
    );
  }

  /**
   * Loads `text` as one undoable edit: for `operation` when the source names it (a command line, an
   * example), else for the operation the document is plainly for (a heartbeat opens as SendHeartbeat).
   */
  function load(text: string, what: string, operation?: Operation): void {
    const seq = documentStore.operationNotice.seq;
    if (operation) documentStore.load(text, operation);
    else documentStore.setText(text, 'load');
    const switched = documentStore.operationNotice.seq !== seq;
    notice.value = `Loaded ${what}${switched ? ` for ${documentStore.operation}` : ''}. Undo (Ctrl+Z in the JSON view) brings back the previous request.`;
  }

  const runsStore = useRunsStore();
  const runs = useRuns();
  /** Many requests (or a HAR, a history or capture file): the Run view opens them (docs/captures.md). */
  function openCapture(source: CaptureSource): void {
    runsStore.requestShow();
    void runs.open(source);
    notice.value = `Opened "${source.name}" in the Runs view: it holds many requests (or a capture format).`;
  }

  /** Imports text; true when the composer now holds it (or, for many requests, the Run view). */
  function importTextAs(raw: string, choice: ImportChoice, fileName = ''): boolean {
    if (
      choice === 'auto' &&
      session.platformKind !== 'offline' &&
      opensAsCapture(raw.slice(0, DETECT_HEAD_CHARS), fileName, raw.length <= DETECT_HEAD_CHARS)
    ) {
      openCapture({ name: fileName || 'pasted text', text: raw });
      return true;
    }
    const result = importForComposer(raw, choice, fileName);
    if (result.text === undefined) {
      importProblems.value = result.problems;
      notice.value = `Nothing was loaded: the ${result.label} has ${result.problems.length === 1 ? 'a problem' : `${result.problems.length} problems`}.`;
      return false;
    }
    importProblems.value = [];
    targetChange.value = undefined;
    load(result.text, fileName ? `"${fileName}" (${result.label})` : `the pasted ${result.label}`, result.operation);
    const previous = session.target;
    const next = targetOf(result, previous);
    if (next) {
      session.setTarget(next);
      targetChange.value = { previous, label: targetLabel(previous) };
      notice.value += ` The target is now ${targetLabel(next)}, from the ${result.format === 'shorthand' ? "command's --endpoint-url/--region" : result.format === 'curl' ? "command's URL" : "program's client"}.`;
    }
    return true;
  }

  /** Puts back the target an import replaced. */
  function keepPreviousTarget(): void {
    const change = targetChange.value;
    if (!change) return;
    session.setTarget(change.previous);
    targetChange.value = undefined;
    notice.value = `The target stays ${change.label}.`;
  }

  /** The target an import names, when it differs from the current one; the embedded endpoint's own URL is the embedded endpoint. */
  function targetOf(result: ImportResult, current: TargetSpec): TargetSpec | undefined {
    let next: TargetSpec | undefined;
    if (result.endpointUrl) {
      const local = sameOrigin(result.endpointUrl, localUrl ?? DEFAULT_LOCAL_ENDPOINT);
      next = local
        ? { kind: 'local' }
        : { kind: 'url', url: result.endpointUrl, region: result.region ?? (current.kind === 'local' ? DEFAULT_REGION : current.region) };
    } else if (result.region && current.kind !== 'local') next = { ...current, region: result.region };
    return next && JSON.stringify(next) !== JSON.stringify(current) ? next : undefined;
  }

  async function openFile(file: File): Promise<boolean> {
    if (session.platformKind !== 'offline') {
      const head = await file
        .slice(0, DETECT_HEAD_CHARS)
        .text()
        .catch(() => '');
      if (opensAsCapture(head, file.name, file.size <= DETECT_HEAD_CHARS)) {
        openCapture(file);
        return true;
      }
    }
    if (file.size > MAX_IMPORT_BYTES) {
      notice.value = `"${file.name}" is ${(file.size / 1048576).toFixed(1)} MiB; a request can be at most 16 MiB.`;
      return false;
    }
    try {
      return importTextAs(await file.text(), 'auto', file.name);
    } catch {
      notice.value = `"${file.name}" could not be read.`;
      return false;
    }
  }

  function save(): void {
    const doc = documentStore.doc as { DeviceName?: unknown } | undefined;
    const device = typeof doc?.DeviceName === 'string' && /^[\w.-]{1,63}$/.test(doc.DeviceName) ? doc.DeviceName : 'request';
    download(`heartbeat-${device}.json`, 'application/json', documentStore.text);
    notice.value = `Saved heartbeat-${device}.json.`;
  }

  async function copyAs(format: ExportFormat): Promise<string> {
    if (session.target.kind === 'local' && localUrl === undefined) {
      localUrl = await api.endpoint.info().then(
        (info) => info.url,
        () => DEFAULT_LOCAL_ENDPOINT,
      );
    }
    const text = exportText(format, documentStore.doc ?? {}, {
      ...exportTarget(session.target, localUrl ?? DEFAULT_LOCAL_ENDPOINT),
      operation: documentStore.operation,
    });
    const label = COPY_FORMATS.find((f) => f.format === format)?.label ?? format;
    try {
      await navigator.clipboard.writeText(text);
      notice.value = `Copied as ${label}.`;
    } catch {
      notice.value = `The clipboard refused the ${label}; select it below and copy it by hand.`;
      throw new ClipboardRefused(text);
    }
    return text;
  }

  function loadExample(id: string): void {
    const example = EXAMPLES.find((e) => e.id === id);
    if (example) load(example.text(), `the example "${example.label}"`, example.operation ?? 'SendHeartbeat');
  }

  return { notice, importProblems, targetChange, importTextAs, keepPreviousTarget, openFile, openCapture, save, copyAs, loadExample };
}

/** The clipboard said no; the text is here to show for copying by hand. */
export class ClipboardRefused extends Error {
  constructor(readonly text: string) {
    super('The clipboard refused the text.');
  }
}
