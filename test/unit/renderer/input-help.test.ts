/**
 * Issue 14, items 25 and 26: input help is written for input (never the model's "Returns the …"
 * output wording) and says patterns in words, in the form and in the JSON view's hover; completing a
 * timestamp in the JSON view inserts now, not 0 (1970). The completion runs Monaco's own JSON
 * language service over the schema the editor is given.
 */
import { describe, expect, it } from 'vitest';
// @ts-expect-error -- Monaco ships its JSON language service without declarations; the test calls configure, doComplete and parseJSONDocument.
import { getLanguageService } from '../../../node_modules/monaco-editor/esm/external/vscode-json-languageservice/lib/esm/jsonLanguageService.js';
// @ts-expect-error -- as above: TextDocument.create and positionAt.
import { TextDocument } from '../../../node_modules/monaco-editor/esm/external/vscode-languageserver-textdocument/lib/esm/main.js';
import { OPERATIONS, requestSchema, type SchemaNode } from '../../../src/common/model/index.ts';
import { fieldsOf } from '../../../src/renderer/form/fields.ts';
import { INPUT_HELP } from '../../../src/renderer/form/input-help.ts';
import { NOW_SNIPPET, schemaForCompletion } from '../../../src/renderer/monaco/timestamp-hints.ts';

/** [member, schema] of every member of every operation, nested ones included. */
function members(node: SchemaNode, out: [string, SchemaNode][] = []): [string, SchemaNode][] {
  for (const [name, sub] of Object.entries(node.properties ?? {})) {
    out.push([name, sub]);
    members(sub, out);
    if (sub.items) members(sub.items, out);
  }
  return out;
}

async function complete(schema: SchemaNode, text: string, at: number): Promise<{ label: string; text: string }[]> {
  const service = getLanguageService({});
  service.configure({ validate: false, schemas: [{ uri: 'urn:heartbeat-test', fileMatch: ['*'], schema }] });
  const doc = TextDocument.create('inmemory://model/1', 'json', 1, text);
  const list = await service.doComplete(doc, doc.positionAt(at), service.parseJSONDocument(doc));
  return (list?.items ?? []).map((i: { label: string; insertText?: string; textEdit?: { newText: string } }) => ({
    label: i.label,
    text: i.textEdit?.newText ?? i.insertText ?? '',
  }));
}

describe('input help (issue 14, item 25)', () => {
  it('every member of every operation has help written for input, patterns in words', () => {
    for (const op of OPERATIONS) {
      for (const [name] of members(requestSchema(op))) expect(INPUT_HELP[name], name).toBeTruthy();
    }
    const all = (pointer: string, schema: SchemaNode): ReturnType<typeof fieldsOf> =>
      fieldsOf(schema, pointer).flatMap((f) => [
        f,
        ...(f.kind === 'object'
          ? all(f.pointer, f.schema)
          : f.kind === 'list' && f.schema.items
            ? all(`${f.pointer}/0`, f.schema.items)
            : []),
      ]);
    const fields = all('', requestSchema('SendHeartbeat'));
    for (const f of fields) {
      expect(f.help, f.pointer).toBeTruthy();
      expect(f.help, f.pointer).not.toMatch(/\bReturns\b/);
      expect(f.help, f.pointer).not.toMatch(/\^\[|\]\*|\$$/);
    }
    expect(fields.find((f) => f.pointer === '/AgentMetrics/0/MetricName')!.help).toBe(
      'The name of the metric. Letters, digits and hyphens; starts and ends with a letter or digit. 4–100 characters.',
    );
    expect(fields.find((f) => f.pointer === '/Models/0/LatestInference')!.help).toMatch(
      /^When the model last made an inference\. Epoch seconds; an ISO 8601 time/,
    );
  });

  it('the JSON view hovers with the same help', () => {
    const schema = schemaForCompletion(requestSchema('SendHeartbeat'));
    expect(schema.properties!.AgentVersion!.description).toMatch(/^The version of the Edge Manager agent/);
    expect(JSON.stringify(schema)).not.toMatch(/Returns /);
  });
});

describe('completion of a timestamp (issue 14, item 26)', () => {
  const text = '{"Models": [{ "ModelName": "model-a", }], "AgentMetrics": [{ "Timestamp":  }]}';

  it('inserts now (epoch seconds when inserted), not 0', async () => {
    const schema = schemaForCompletion(requestSchema('SendHeartbeat'));
    const keys = await complete(schema, text, text.indexOf(', }') + 2);
    expect(keys.find((i) => i.label === 'LatestInference')!.text).toBe('"LatestInference": ${CURRENT_SECONDS_UNIX}');
    const values = await complete(schema, text, text.indexOf('"Timestamp":  ') + 13);
    expect(values.map((i) => i.text)).toContain(NOW_SNIPPET.slice(1));
    expect(values.map((i) => i.text)).not.toContain('0');
  });

  it('(the model alone would insert 0)', async () => {
    const keys = await complete(requestSchema('SendHeartbeat'), text, text.indexOf(', }') + 2);
    expect(keys.find((i) => i.label === 'LatestInference')!.text).toBe('"LatestInference": ${1:0}');
  });
});
