/** A read-only Monaco diff of two request bodies, pretty-printed so a one-line body diffs by member. */
import './environment.ts';
import * as monaco from 'monaco-editor/editor/editor.api';

export function prettyJson(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

export function createBodyDiff(element: HTMLElement, left: string, right: string, dark: boolean): { dispose(): void } {
  const original = monaco.editor.createModel(prettyJson(left), 'json');
  const modified = monaco.editor.createModel(prettyJson(right), 'json');
  const editor = monaco.editor.createDiffEditor(element, {
    readOnly: true,
    originalEditable: false,
    automaticLayout: true,
    renderSideBySide: true,
    minimap: { enabled: false },
    scrollBeyondLastLine: false,
    fontSize: 12,
    // Built-in themes: the diff may open before the JSON view has defined its own.
    theme: dark ? 'vs-dark' : 'vs',
    ariaLabel: 'Differences between the two request bodies',
  });
  editor.setModel({ original, modified });
  // The diff is computed in a worker from the models; disposing them while it runs made Monaco throw
  // "no diff result available" (uncaught). The models go once the diff is in (or after 5 s at most).
  const computed = (editor as unknown as { waitForDiff?: () => Promise<void> }).waitForDiff?.() ?? Promise.resolve();
  return {
    dispose() {
      editor.dispose();
      const disposeModels = (): void => {
        original.dispose();
        modified.dispose();
      };
      void Promise.race([computed, new Promise((resolve) => setTimeout(resolve, 5000))]).then(disposeModels, disposeModels);
    },
  };
}
