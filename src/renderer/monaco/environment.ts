/**
 * Monaco's web workers, bundled by Vite as separate files (`?worker`), so the CSP needs only
 * `worker-src 'self'` — no blob: URLs built from strings, no eval. Must run before the editor loads.
 */
import EditorWorker from 'monaco-editor/editor/editor.worker?worker';
import JsonWorker from 'monaco-editor/language/json/json.worker?worker';

(globalThis as typeof globalThis & { MonacoEnvironment?: { getWorker(workerId: string, label: string): Worker } }).MonacoEnvironment = {
  getWorker: (_workerId: string, label: string) => (label === 'json' ? new JsonWorker() : new EditorWorker()),
};
