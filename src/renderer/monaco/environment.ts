/**
 * Monaco's web workers, bundled by Vite as separate files (`?worker`), so the CSP needs only
 * `worker-src 'self'` — no blob: URLs built from strings, no eval. Must run before the editor loads.
 */
import EditorWorker from 'monaco-editor/editor/editor.worker?worker';
import JsonWorker from 'monaco-editor/language/json/json.worker?worker';
// monaco-yaml's language server (the fleet scenario editor, yaml.ts); built only into its own file.
import YamlWorker from 'monaco-yaml/yaml.worker?worker';
// Services that editor contributions in the bundle ask for (the diff editor's breadcrumbs, code lens,
// drop-into-editor) but that only editor.main registers: without them each diff editor threw
// "depends on UNKNOWN service IOutlineModelService / ICodeLensCache / treeViewsDndService". They must be
// registered before the first editor starts Monaco's services, so here, not in the lazily loaded diff.
import 'monaco-editor/editor/contrib/documentSymbols/browser/outlineModel';
import 'monaco-editor/editor/contrib/codelens/browser/codeLensCache';
import 'monaco-editor/editor/common/services/treeViewsDndService';

(globalThis as typeof globalThis & { MonacoEnvironment?: { getWorker(workerId: string, label: string): Worker } }).MonacoEnvironment = {
  getWorker: (_workerId: string, label: string) =>
    label === 'json' ? new JsonWorker() : label === 'yaml' ? new YamlWorker() : new EditorWorker(),
};
