/**
 * The layering rule of docs/architecture.md#layers as an allow-list (after VS Code's code-import-patterns):
 * each folder names the folders of the repository and the npm packages (and whether Node built-ins) its
 * files may import; anything else is an error. A new dependency of a layer is a line here, on purpose.
 */
import { builtinModules } from 'node:module';
import { dirname, relative, resolve } from 'node:path';

const root = dirname(dirname(new URL(import.meta.url).pathname));
const NODE = Symbol('node built-ins');

/** Most specific first: the first rule whose `files` prefix matches a file applies. */
export const LAYERS = [
  {
    files: ['electron/preload.ts', 'electron/bridge.ts', 'electron/channels.ts'],
    name: 'The sandboxed preload',
    local: ['src/common/', 'electron/bridge.ts', 'electron/channels.ts'],
    packages: ['electron'],
  },
  {
    files: ['electron/'],
    name: 'The Electron main process',
    local: ['src/common/', 'src/node/', 'electron/'],
    packages: ['electron', NODE],
  },
  { files: ['src/common/'], name: 'src/common (runs anywhere)', local: ['src/common/'], packages: ['yaml'] },
  {
    files: ['src/renderer/'],
    name: 'The renderer',
    local: ['src/common/', 'src/renderer/', 'examples/'],
    packages: ['vue', 'pinia', 'monaco-editor', 'monaco-yaml', 'uplot', 'yaml'],
  },
  {
    files: ['src/node/'],
    name: 'src/node',
    local: ['src/common/', 'src/node/', 'reference/'],
    packages: [
      NODE,
      'undici',
      'yaml',
      'csv-parse',
      'hdr-histogram-js',
      '@aws-sdk/credential-providers',
      '@smithy/shared-ini-file-loader',
      '@smithy/util-endpoints',
    ],
  },
  { files: ['src/cli/'], name: 'The CLI', local: ['src/common/', 'src/node/', 'src/cli/'], packages: [NODE] },
];

const builtins = new Set(builtinModules);
const packageOf = (specifier) => (specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0]);

function problem(layer, file, specifier) {
  if (specifier.startsWith('.')) {
    const target = relative(root, resolve(dirname(resolve(root, file)), specifier.replace(/\?.*$/, ''))).replace(/\\/g, '/');
    return layer.local.some((allowed) => (allowed.endsWith('/') ? target.startsWith(allowed) : target === allowed))
      ? undefined
      : `${layer.name} may not import ${target} (docs/architecture.md#layers).`;
  }
  const bare = specifier.replace(/\?.*$/, '');
  if (bare.startsWith('node:') || builtins.has(bare.split('/')[0]))
    return layer.packages.includes(NODE)
      ? undefined
      : `${layer.name} may not import the Node built-in ${bare} (docs/architecture.md#layers).`;
  return layer.packages.includes(packageOf(bare))
    ? undefined
    : `${layer.name} may not import the package ${packageOf(bare)}; allow it in scripts/eslint-layers.mjs if it belongs there (docs/architecture.md#layers).`;
}

const rule = {
  meta: { type: 'problem', schema: [] },
  create(context) {
    const file = relative(root, context.filename).replace(/\\/g, '/');
    const layer = LAYERS.find((l) => l.files.some((prefix) => file.startsWith(prefix)));
    if (!layer) return {};
    const check = (node) => {
      const source = node.source;
      if (!source || source.type !== 'Literal' || typeof source.value !== 'string') return;
      const message = problem(layer, file, source.value);
      if (message) context.report({ node: source, message });
    };
    return { ImportDeclaration: check, ExportNamedDeclaration: check, ExportAllDeclaration: check, ImportExpression: check };
  },
};

export const layersPlugin = { rules: { 'allowed-imports': rule } };
