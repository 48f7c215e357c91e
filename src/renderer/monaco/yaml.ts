/**
 * YAML in Monaco for the fleet scenario editor: Monaco's Monarch highlighting, and monaco-yaml
 * (yaml-language-server in its own worker) for completion and hover from the scenario's JSON Schema.
 *
 * monaco-yaml's validation is off on purpose, as the JSON editor's schema diagnostics are: the markers
 * come from parseScenario, so the editor, the CLI (`heartbeat fleet validate`) and the host's fleet.start
 * report the same problems in the same words.
 *
 * Monaco 0.55+ needs two adjustments for monaco-yaml 5.5.1 (remcohaszing/monaco-yaml#272):
 * - Its worker manager calls monaco.editor.createWebWorker({ label, moduleId, createData }), but Monaco
 *   now takes the Worker itself (`{ worker }`) and no longer sends createData. The `monaco` given to
 *   configureMonacoYaml therefore creates the worker as Monaco's own language workers do
 *   (monaco-editor/internal/common/workers.js): from MonacoEnvironment by label, then a first message
 *   that starts it and a second with createData.
 * - The worker imports `monaco-editor/esm/vs/editor/editor.worker.js`, a path outside Monaco 0.57's
 *   exports map: vite.config.ts aliases it to `monaco-editor/editor/editor.worker`.
 */
import * as monaco from 'monaco-editor/editor/editor.api';
import 'monaco-editor/languages/definitions/yaml/register';
import { configureMonacoYaml, type JSONSchema } from 'monaco-yaml';
import { scenarioSchema } from '../../common/fleet/scenario-schema.ts';

/** Scenario models are named `inmemory://heartbeat/NAME.fleet-scenario.yaml`; the schema binds to them by this glob. */
export const SCENARIO_MODEL_SUFFIX = '.fleet-scenario.yaml';

type Environment = { getWorker(workerId: string, label: string): Worker | Promise<Worker> };

function createWebWorker<T extends object>(options: { label?: string; createData?: unknown }): monaco.editor.MonacoWebWorker<T> {
  const environment = (globalThis as { MonacoEnvironment?: Environment }).MonacoEnvironment;
  if (!environment?.getWorker) throw new Error('MonacoEnvironment is not set up (src/renderer/monaco/environment.ts).');
  const worker = Promise.resolve(environment.getWorker('workerMain.js', options.label ?? 'yaml')).then((w) => {
    w.postMessage('ignore');
    w.postMessage(options.createData);
    return w;
  });
  return monaco.editor.createWebWorker<T>({ worker });
}

let configured = false;

/** Sets YAML up once: highlighting is registered on import; completion and hover here. */
export function configureScenarioYaml(): void {
  if (configured) return;
  configured = true;
  const monacoForYaml = { ...monaco, editor: { ...monaco.editor, createWebWorker } };
  configureMonacoYaml(monacoForYaml as unknown as Parameters<typeof configureMonacoYaml>[0], {
    completion: true,
    hover: true,
    validate: false,
    format: { enable: false },
    enableSchemaRequest: false,
    yamlVersion: '1.2',
    schemas: [
      {
        // A URL-like id (inmemory://…): with a `urn:` one yaml-language-server resolved no schema at all.
        uri: scenarioSchema.$id!,
        fileMatch: [`**/*${SCENARIO_MODEL_SUFFIX}`],
        schema: scenarioSchema as JSONSchema,
      },
    ],
  });
}
