/**
 * The composer's file and clipboard I/O: open or drop a file, paste text in any import format, save
 * the request, copy it as a command or snippet, load an example. Loading replaces the document as one
 * undoable edit, so nothing typed is lost to a stray drop.
 */
import { shallowRef } from 'vue';
import { exportText, type ExportFormat, type ExportTarget } from '../../common/formats/index.ts';
import type { TargetSpec } from '../../common/api.ts';
import { useDocumentStore } from '../stores/document.ts';
import { useSessionStore } from '../stores/session.ts';
import { importForComposer, type ImportChoice, type ImportResult } from '../io/import.ts';
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

  function load(text: string, what: string): void {
    documentStore.setText(text, 'load');
    notice.value = `Loaded ${what}. Undo (Ctrl+Z in the JSON view) brings back the previous request.`;
  }

  /** Imports text; true when the composer now holds it. */
  function importTextAs(raw: string, choice: ImportChoice, fileName = ''): boolean {
    const result = importForComposer(raw, choice, fileName);
    if (result.text === undefined) {
      importProblems.value = result.problems;
      notice.value = `Nothing was loaded: the ${result.format} text has ${result.problems.length === 1 ? 'a problem' : `${result.problems.length} problems`}.`;
      return false;
    }
    importProblems.value = [];
    if (result.endpointUrl) session.setTarget({ kind: 'url', url: result.endpointUrl, region: result.region ?? 'us-east-1' });
    else if (result.region && session.target.kind !== 'local') session.setTarget({ ...session.target, region: result.region });
    load(result.text, fileName ? `"${fileName}" (${result.format})` : `the pasted ${result.format}`);
    return true;
  }

  async function openFile(file: File): Promise<boolean> {
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
    const text = exportText(format, documentStore.doc ?? {}, exportTarget(session.target, localUrl ?? DEFAULT_LOCAL_ENDPOINT));
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
    if (example) load(example.text(), `the example "${example.label}"`);
  }

  return { notice, importProblems, importTextAs, openFile, save, copyAs, loadExample };
}

/** The clipboard said no; the text is here to show for copying by hand. */
export class ClipboardRefused extends Error {
  constructor(readonly text: string) {
    super('The clipboard refused the text.');
  }
}
