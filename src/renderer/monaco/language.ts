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
import { defineThemes } from './themes.ts';
import { schemaForCompletion, type TimestampHint } from './timestamp-hints.ts';

let configured = false;

/** Hints for the offsets [from, to] of the current text. */
export type HintSource = (from: number, to: number) => TimestampHint[];

/** Each open model's operation and hints, by URI: one provider serves them all, so a remounted editor gets its own. */
const models = new Map<string, { operation: Operation; hints: HintSource }>();

function applySchemas(): void {
  const byOperation = new Map<Operation, string[]>();
  for (const [uri, { operation }] of models) byOperation.set(operation, [...(byOperation.get(operation) ?? []), uri]);
  jsonDefaults.setDiagnosticsOptions({
    validate: true,
    allowComments: false,
    enableSchemaRequest: false,
    schemas: [...byOperation].map(([operation, fileMatch]) => {
      // Completion of a timestamp inserts now, not 0 (1970).
      const schema = schemaForCompletion(requestSchema(operation));
      return { uri: schema.$id ?? `urn:heartbeat-composer:${operation}`, fileMatch, schema };
    }),
  });
}

/** Binds the request schema of `operation` and the ISO hints to the model at `modelUri`; the returned function unbinds them. */
export function configureJson(modelUri: string, operation: Operation, hints: HintSource): () => void {
  models.set(modelUri, { operation, hints });
  applySchemas();
  setUpOnce();
  return () => {
    if (models.get(modelUri)?.hints !== hints) return;
    models.delete(modelUri);
    applySchemas();
  };
}

function setUpOnce(): void {
  if (configured) return;
  configured = true;
  jsonDefaults.setModeConfiguration({ ...jsonDefaults.modeConfiguration, diagnostics: false });
  monaco.languages.registerInlayHintsProvider('json', {
    // Only for the range Monaco asks about (the lines in view): a document can hold thousands of timestamps.
    provideInlayHints(model, range) {
      const source = models.get(model.uri.toString())?.hints;
      if (!source) return { hints: [], dispose: () => undefined };
      const from = model.getOffsetAt({ lineNumber: range.startLineNumber, column: range.startColumn });
      const to = model.getOffsetAt({ lineNumber: range.endLineNumber, column: range.endColumn });
      const hints = source(from, to).map((h) => ({
        position: model.getPositionAt(h.offset),
        label: ` ${h.label}`,
        kind: monaco.languages.InlayHintKind.Type,
        paddingLeft: true,
      }));
      return { hints, dispose: () => undefined };
    },
  });
  defineThemes();
}
