/**
 * The JSON language binding (src/renderer/monaco/language.ts) per model: one inlay-hint provider
 * serves every open model by its URI, so an editor that is unmounted and mounted again gets its hints
 * (the provider used to keep the first model's URI), and schemas follow the models that are open.
 */
import { describe, expect, it, vi } from 'vitest';

const registered: Array<{ provideInlayHints(model: unknown, range: unknown): { hints: unknown[] } }> = [];
const schemas: unknown[][] = [];
vi.mock('monaco-editor/editor/editor.api', () => ({
  languages: {
    registerInlayHintsProvider: (_language: string, provider: (typeof registered)[number]) => registered.push(provider),
    InlayHintKind: { Type: 1 },
  },
  editor: { defineTheme: () => undefined },
}));
vi.mock('monaco-editor/languages/features/json/register', () => ({
  jsonDefaults: {
    modeConfiguration: {},
    setModeConfiguration: () => undefined,
    setDiagnosticsOptions: (o: { schemas: unknown[] }) => schemas.push(o.schemas),
  },
}));

const model = (uri: string) => ({
  uri: { toString: () => uri },
  getOffsetAt: () => 0,
  getPositionAt: (offset: number) => ({ lineNumber: 1, column: offset + 1 }),
});
const range = { startLineNumber: 1, startColumn: 1, endLineNumber: 1, endColumn: 10 };

describe('the JSON language binding', () => {
  it('gives a remounted editor its hints, and forgets a closed model', async () => {
    const { configureJson } = await import('../../../src/renderer/monaco/language.ts');
    const first = configureJson('inmemory://heartbeat/composer.json', 'SendHeartbeat', () => [{ offset: 1, label: 'first' }]);
    expect(registered).toHaveLength(1);
    expect(registered[0]!.provideInlayHints(model('inmemory://heartbeat/composer.json'), range).hints).toHaveLength(1);
    first(); // unmounted
    expect(registered[0]!.provideInlayHints(model('inmemory://heartbeat/composer.json'), range).hints).toEqual([]);
    expect(schemas.at(-1)).toEqual([]);
    // Mounted again (same URI) and a second editor: both get theirs, from the one provider.
    configureJson('inmemory://heartbeat/composer.json', 'SendHeartbeat', () => [{ offset: 2, label: 'again' }]);
    configureJson('inmemory://heartbeat/other.json', 'GetDeployments', () => [{ offset: 3, label: 'other' }]);
    expect(registered).toHaveLength(1);
    expect(registered[0]!.provideInlayHints(model('inmemory://heartbeat/composer.json'), range).hints).toMatchObject([{ label: ' again' }]);
    expect(registered[0]!.provideInlayHints(model('inmemory://heartbeat/other.json'), range).hints).toMatchObject([{ label: ' other' }]);
    expect((schemas.at(-1) as Array<{ fileMatch: string[] }>).map((s) => s.fileMatch)).toEqual([
      ['inmemory://heartbeat/composer.json'],
      ['inmemory://heartbeat/other.json'],
    ]);
  });
});
