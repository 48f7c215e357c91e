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
  return {
    dispose() {
      editor.dispose();
      original.dispose();
      modified.dispose();
    },
  };
}
