/**
 * The JSON language for the composer's model: the request schema bound to the model's URI for
 * completion and hover, ISO times as inlay hints beside timestamps, and our own themes.
 *
 * Monaco's schema diagnostics are turned off on purpose: the markers come from the shared Ajv
 * validator (markers.ts), so the editor, the form, the CLI and the endpoint report exactly the same
 * problems in the same words (Monaco's validator differs on Unicode lengths and `u`-flag patterns).
 */
import * as monaco from 'monaco-editor/editor/editor.api';
import { jsonDefaults } from 'monaco-editor/languages/features/json/register';
import { requestSchema, type Operation } from '../../common/model/index.ts';
import { schemaForCompletion, type TimestampHint } from './timestamp-hints.ts';

let configured = false;

/** Hints for the offsets [from, to] of the current text. */
export type HintSource = (from: number, to: number) => TimestampHint[];
let hintSource: HintSource = () => [];

export function configureJson(modelUri: string, operation: Operation, hints: HintSource): void {
  hintSource = hints;
  // Completion of a timestamp inserts now, not 0 (1970).
  const schema = schemaForCompletion(requestSchema(operation));
  jsonDefaults.setDiagnosticsOptions({
    validate: true,
    allowComments: false,
    enableSchemaRequest: false,
    schemas: [{ uri: schema.$id ?? `urn:heartbeat-composer:${operation}`, fileMatch: [modelUri], schema }],
  });
  if (configured) return;
  configured = true;
  jsonDefaults.setModeConfiguration({ ...jsonDefaults.modeConfiguration, diagnostics: false });
  monaco.languages.registerInlayHintsProvider('json', {
    // Only for the range Monaco asks about (the lines in view): a document can hold thousands of timestamps.
    provideInlayHints(model, range) {
      if (model.uri.toString() !== modelUri) return { hints: [], dispose: () => undefined };
      const from = model.getOffsetAt({ lineNumber: range.startLineNumber, column: range.startColumn });
      const to = model.getOffsetAt({ lineNumber: range.endLineNumber, column: range.endColumn });
      const hints = hintSource(from, to).map((h) => ({
        position: model.getPositionAt(h.offset),
        label: ` ${h.label}`,
        kind: monaco.languages.InlayHintKind.Type,
        paddingLeft: true,
      }));
      return { hints, dispose: () => undefined };
    },
  });
  monaco.editor.defineTheme('heartbeat-light', { base: 'vs', inherit: true, rules: [], colors: { 'editor.background': '#ffffff' } });
  monaco.editor.defineTheme('heartbeat-dark', { base: 'vs-dark', inherit: true, rules: [], colors: { 'editor.background': '#16181d' } });
}
