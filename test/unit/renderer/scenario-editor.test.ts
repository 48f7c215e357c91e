// @vitest-environment jsdom
/**
 * The fleet view's scenario editor (ScenarioEditor.vue over src/renderer/monaco/scenario-editor.ts).
 * Monaco cannot run in jsdom, so its API is a fake that keeps the model's text and records markers,
 * themes and options; the component, the editor module, parseScenario and the marker ranges are real.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils';
import { createPinia, setActivePinia, type Pinia } from 'pinia';
import { readFileSync } from 'node:fs';

const fake = vi.hoisted(() => {
  type Position = { lineNumber: number; column: number };
  type Marker = { startLineNumber: number; startColumn: number; endLineNumber: number; endColumn: number; message: string; code?: string };
  const state = {
    models: [] as FakeModel[],
    editors: [] as Array<{ options: Record<string, unknown>; updates: Array<Record<string, unknown>>; disposed: boolean }>,
    markers: new Map<unknown, Marker[]>(),
    themes: [] as string[],
  };
  class FakeModel {
    listeners: Array<() => void> = [];
    disposed = false;
    constructor(
      public text: string,
      public language: string,
      public uri: { toString(): string },
    ) {}
    getValue = () => this.text;
    updateOptions = () => undefined;
    getLineCount = () => this.text.split('\n').length;
    getLineContent = (n: number) => this.text.split('\n')[n - 1]!;
    getPositionAt = (offset: number): Position => {
      const before = this.text.slice(0, offset).split('\n');
      return { lineNumber: before.length, column: before.at(-1)!.length + 1 };
    };
    offsetOf = (p: Position) =>
      this.text
        .split('\n')
        .slice(0, p.lineNumber - 1)
        .reduce((n, line) => n + line.length + 1, 0) +
      p.column -
      1;
    onDidChangeContent = (listener: () => void) => {
      this.listeners.push(listener);
      return { dispose: () => (this.listeners = this.listeners.filter((l) => l !== listener)) };
    };
    pushStackElement = () => undefined;
    pushEditOperations = (_s: unknown, edits: Array<{ range: { start: Position; end: Position }; text: string }>) => {
      for (const { range, text } of edits)
        this.text = this.text.slice(0, this.offsetOf(range.start)) + text + this.text.slice(this.offsetOf(range.end));
      this.listeners.forEach((l) => l());
      return null;
    };
    /** What typing in Monaco does: the text changes, then the listeners hear of it. */
    type = (text: string) => {
      this.text = text;
      this.listeners.forEach((l) => l());
    };
    dispose = () => void (this.disposed = true);
  }
  class Range {
    start: Position;
    end: Position;
    constructor(a: number, b: number, c: number, d: number) {
      this.start = { lineNumber: a, column: b };
      this.end = { lineNumber: c, column: d };
    }
  }
  const monaco = {
    Uri: { parse: (s: string) => ({ toString: () => s }) },
    Range,
    MarkerSeverity: { Error: 8 },
    editor: {
      createModel: (text: string, language: string, uri: { toString(): string }) => {
        const model = new FakeModel(text, language, uri);
        state.models.push(model);
        return model;
      },
      getModel: () => null,
      create: (_element: HTMLElement, options: Record<string, unknown>) => {
        const editor = { options, updates: [] as Array<Record<string, unknown>>, disposed: false };
        state.editors.push(editor);
        return {
          getSelections: () => [],
          updateOptions: (o: Record<string, unknown>) => editor.updates.push(o),
          dispose: () => void (editor.disposed = true),
        };
      },
      setModelMarkers: (model: unknown, _owner: string, markers: Marker[]) => state.markers.set(model, markers),
      setTheme: (name: string) => state.themes.push(name),
      defineTheme: () => undefined,
      createWebWorker: () => undefined,
    },
    languages: {},
  };
  return { state, monaco, configureMonacoYaml: vi.fn() };
});

vi.mock('monaco-editor/editor/editor.api', () => fake.monaco);
vi.mock('monaco-editor/languages/definitions/yaml/register', () => ({}));
vi.mock('monaco-yaml', () => ({ configureMonacoYaml: fake.configureMonacoYaml }));
vi.mock('../../../src/renderer/monaco/environment.ts', () => ({}));
vi.mock('../../../src/renderer/monaco/features.ts', () => ({}));

import ScenarioEditor from '../../../src/renderer/components/fleet/ScenarioEditor.vue';
import { scenarioMarkers, tokenSpan } from '../../../src/renderer/monaco/scenario-markers.ts';
import { useThemeStore } from '../../../src/renderer/stores/theme.ts';
import type { Scenario, ScenarioProblem } from '../../../src/common/fleet/scenario.ts';
import { scenarioSchema } from '../../../src/common/fleet/scenario-schema.ts';

const GOOD = readFileSync('examples/fleet-warehouse.yaml', 'utf8');
const BAD = `name: bad
fleets:
  - name: cams
    interval: 5
    startup: later
    agentMetrics:
      - { dimension: agent, name: Cpu, value: 1 }
`;

let pinia: Pinia;
let wrapper: VueWrapper | undefined;

function mountEditor(text: string, props: Record<string, unknown> = {}) {
  wrapper = mount(ScenarioEditor, { props: { modelValue: text, ...props }, global: { plugins: [pinia] }, attachTo: document.body });
  return wrapper;
}
/** Monaco's module is imported on mount; the first import takes a while. */
async function ready(w: VueWrapper): Promise<void> {
  await vi.waitFor(() => expect(w.find('.status').exists()).toBe(false));
  await flushPromises();
}
const model = () => fake.state.models.at(-1)!;
const markers = () => fake.state.markers.get(model()) ?? [];
const lastEmitted = <T>(w: VueWrapper, name: string) => (w.emitted(name)?.at(-1) as [T] | undefined)?.[0];

beforeEach(() => {
  pinia = createPinia();
  setActivePinia(pinia);
});
afterEach(() => {
  wrapper?.unmount();
  wrapper = undefined;
  vi.useRealTimers();
});

describe('ScenarioEditor', () => {
  it('emits the parsed scenario of a good text, and sets no markers', async () => {
    const w = mountEditor(GOOD);
    await ready(w);
    expect(lastEmitted<ScenarioProblem[]>(w, 'problems')).toEqual([]);
    const scenario = lastEmitted<Scenario>(w, 'scenario');
    expect(scenario?.name).toBe('warehouse-demo');
    expect(scenario?.fleets[0]).toMatchObject({ name: 'warehouse-cameras', devices: 50, intervalMs: 5000, jitter: 0.1 });
    expect(model().language).toBe('yaml');
    expect(model().uri.toString()).toMatch(/^inmemory:\/\/heartbeat\/scenario-\d+\.fleet-scenario\.yaml$/);
    expect(markers()).toEqual([]);
    expect(w.find('[role="alert"]').exists()).toBe(false);
  });

  it('marks each problem of a bad text at its line and column, with its message', async () => {
    const w = mountEditor(BAD);
    await ready(w);
    expect(lastEmitted(w, 'scenario')).toBeUndefined();
    const problems = lastEmitted<ScenarioProblem[]>(w, 'problems')!;
    expect(problems.map((p) => [p.path, p.line, p.column])).toEqual([
      ['/fleets/0/interval', 4, 15],
      ['/fleets/0/startup', 5, 14],
      ['/fleets/0/agentMetrics/0/name', 7, 35],
    ]);
    expect(markers()).toEqual([
      {
        startLineNumber: 4,
        startColumn: 15,
        endLineNumber: 4,
        endColumn: 16,
        message: problems[0]!.message,
        code: '/fleets/0/interval',
        severity: 8,
        source: 'scenario',
      },
      {
        startLineNumber: 5,
        startColumn: 14,
        endLineNumber: 5,
        endColumn: 19,
        message: problems[1]!.message,
        code: '/fleets/0/startup',
        severity: 8,
        source: 'scenario',
      },
      {
        startLineNumber: 7,
        startColumn: 35,
        endLineNumber: 7,
        endColumn: 38,
        message: problems[2]!.message,
        code: '/fleets/0/agentMetrics/0/name',
        severity: 8,
        source: 'scenario',
      },
    ]);
    expect(markers()[0]!.message).toMatch(/interval must be a duration/);
    expect(markers()[1]!.message).toMatch(/startup must be stagger or together/);
  });

  it('checks typing 200 ms after it stops, and updates v-model at once', async () => {
    const w = mountEditor(GOOD);
    await ready(w);
    vi.useFakeTimers();
    const checks = w.emitted('problems')!.length;
    const broken = GOOD.replace('interval: 5s', 'interval: 5');
    model().type(broken.replace('jitter: 10%', 'jitter: 10'));
    model().type(broken);
    expect(lastEmitted(w, 'update:modelValue')).toBe(broken);
    await w.setProps({ modelValue: broken }); // the parent's v-model
    vi.advanceTimersByTime(199);
    expect(w.emitted('problems')!.length).toBe(checks);
    vi.advanceTimersByTime(1);
    expect(w.emitted('problems')!.length).toBe(checks + 1);
    expect(lastEmitted(w, 'scenario')).toBeUndefined();
    const line = broken.split('\n').findIndex((l) => l.endsWith('interval: 5')) + 1;
    expect(markers()).toMatchObject([{ startLineNumber: line, startColumn: 15, endColumn: 16, code: '/fleets/0/interval' }]);
  });

  it('shows a text set from outside (an opened file) and checks it', async () => {
    const w = mountEditor(BAD);
    await ready(w);
    vi.useFakeTimers();
    await w.setProps({ modelValue: GOOD });
    expect(model().getValue()).toBe(GOOD);
    expect(w.emitted('update:modelValue')).toBeUndefined(); // not echoed back as the user's edit
    vi.advanceTimersByTime(200);
    expect(markers()).toEqual([]);
    expect(lastEmitted<Scenario>(w, 'scenario')?.name).toBe('warehouse-demo');
  });

  it('follows the theme and readonly, has an accessible name, and binds the schema for completion and hover', async () => {
    const theme = useThemeStore();
    theme.setPreference('light');
    const w = mountEditor(GOOD, { readonly: true });
    await ready(w);
    const editor = fake.state.editors.at(-1)!;
    expect(editor.options).toMatchObject({
      theme: 'heartbeat-light',
      readOnly: true,
      ariaLabel: expect.stringMatching(/scenario.*Control\+M/i),
    });
    theme.setPreference('dark');
    await flushPromises();
    expect(fake.state.themes.at(-1)).toBe('heartbeat-dark');
    await w.setProps({ readonly: false });
    expect(editor.updates.at(-1)).toEqual({ readOnly: false });
    expect(fake.configureMonacoYaml).toHaveBeenCalledTimes(1);
    const options = fake.configureMonacoYaml.mock.calls[0]![1] as {
      validate: boolean;
      schemas: Array<{ fileMatch: string[]; schema: unknown }>;
    };
    expect(options).toMatchObject({ completion: true, hover: true, validate: false });
    expect(options.schemas[0]!.schema).toBe(scenarioSchema);
    expect(options.schemas[0]!.fileMatch).toEqual(['**/*.fleet-scenario.yaml']);
    w.unmount();
    wrapper = undefined;
    expect(editor.disposed).toBe(true);
    expect(model().disposed).toBe(true);
  });
});

describe('scenario marker ranges', () => {
  it('cover the token at the position', () => {
    expect(tokenSpan('    interval: 5', 14)).toEqual([14, 15]);
    expect(tokenSpan("    deviceName: 'cam-{n}' # comment", 16)).toEqual([16, 25]);
    expect(tokenSpan('  - name: north site # comment', 10)).toEqual([10, 20]);
    expect(tokenSpan('    startp: together', 4)).toEqual([4, 10]);
    expect(tokenSpan('      - { dimension: agent, name: Cpu, value: 1 }', 34)).toEqual([34, 37]);
    // A mapping value is marked at its key; without a key, at its bracket.
    expect(tokenSpan('      - { name: Cpu, value: { gaussian: { mean: 1 } } }', 28)).toEqual([21, 26]);
    expect(tokenSpan('  - offline: { probability: 2 }', 13)).toEqual([4, 11]);
    expect(tokenSpan('      - { name: Cpu }', 8)).toEqual([8, 9]);
    expect(tokenSpan('x', 5)).toEqual([1, 2]);
  });

  it('put a problem without a position on line 1', () => {
    expect(scenarioMarkers([{ path: '', message: 'Too deep.' }], () => 'name: x')).toEqual([
      { startLineNumber: 1, startColumn: 1, endLineNumber: 1, endColumn: 8, message: 'Too deep.', path: '' },
    ]);
  });
});
