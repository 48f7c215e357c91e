/**
 * Completion of `{{` in the JSON view (docs/variables.md): the built-ins and the chosen environment's
 * variables, each with what it stands for. One provider for every bound model; a model's variables
 * are read when the list opens, so a change of environment needs no new binding.
 */
import * as monaco from 'monaco-editor/editor/editor.api';
import { BUILT_IN_HELP } from '../../common/variables/resolve.ts';

type VariablesSource = () => Readonly<Record<string, string>>;
const sources = new Map<string, VariablesSource>();
let registered = false;

/** What the text before the cursor opens: `{{` and the part of a name typed so far, or undefined. */
export function openPlaceholder(before: string): { partial: string } | undefined {
  const m = /(?:^|[^\\])\{\{ *([A-Za-z0-9_.:-]*)$/.exec(before);
  return m ? { partial: m[1]! } : undefined;
}

/** Offers variables at `{{` in the model at `modelUri`; the returned function unbinds it. */
export function bindVariableCompletion(modelUri: string, variables: VariablesSource): () => void {
  sources.set(modelUri, variables);
  if (!registered) {
    registered = true;
    monaco.languages.registerCompletionItemProvider('json', {
      triggerCharacters: ['{'],
      provideCompletionItems(model, position) {
        const source = sources.get(model.uri.toString());
        const line = model.getLineContent(position.lineNumber);
        const open = source ? openPlaceholder(line.slice(0, position.column - 1)) : undefined;
        if (!source || !open) return { suggestions: [] };
        const closed = line.slice(position.column - 1).startsWith('}}');
        const range = new monaco.Range(position.lineNumber, position.column - open.partial.length, position.lineNumber, position.column);
        const item = (name: string, label: string, detail: string, sortText: string): monaco.languages.CompletionItem => ({
          label,
          kind: monaco.languages.CompletionItemKind.Variable,
          detail,
          insertText: closed ? name : `${name}}}`,
          filterText: name,
          sortText,
          range,
        });
        return {
          suggestions: [
            ...Object.entries(source()).map(([name, value]) => item(name, `{{${name}}}`, `= ${value}`, `0${name}`)),
            ...BUILT_IN_HELP.map((b) => item(b.insert, b.label, b.detail, `1${b.insert}`)),
          ],
        };
      },
    });
  }
  return () => {
    if (sources.get(modelUri) === variables) sources.delete(modelUri);
  };
}
