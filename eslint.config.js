// Lint, with the runtime layering of DESIGN §3 enforced: a folder is a runtime.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import pluginVue from 'eslint-plugin-vue';
import { builtinModules } from 'node:module';

const nodeBuiltins = [...builtinModules.filter((m) => !m.startsWith('_')), ...builtinModules.map((m) => `node:${m}`)];
const layer = (what, patterns, extra = []) => ({
  paths: [...extra],
  patterns: patterns.map((group) => ({ group: [group], message: `${what} must not import this (DESIGN §3 layering).` })),
});

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'coverage/', 'test-results/', 'src/common/model/generated/validators.js'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...pluginVue.configs['flat/recommended'],
  {
    files: ['**/*.vue'],
    languageOptions: { parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.vue'], sourceType: 'module' } },
    rules: {
      // Formatting is not lint's business here; keep the rules that catch bugs and accessibility slips.
      'vue/max-attributes-per-line': 'off',
      'vue/singleline-html-element-content-newline': 'off',
      'vue/multiline-html-element-content-newline': 'off',
      'vue/html-self-closing': 'off',
      'vue/html-indent': 'off',
      'vue/html-closing-bracket-newline': 'off',
    },
  },
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['src/common/**/*.ts'],
    languageOptions: { globals: { ...globals['shared-node-browser'] } },
    rules: {
      'no-restricted-imports': ['error', layer('src/common runs anywhere and', ['**/node/**', '**/renderer/**', '**/cli/**', '**/electron/**', 'electron'], nodeBuiltins)],
      'no-restricted-globals': ['error', 'process', 'Buffer', 'require', '__dirname', 'window', 'document'],
    },
  },
  {
    files: ['src/renderer/**/*.{ts,vue}'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': ['error', layer('The renderer', ['**/node/**', '**/cli/**', '**/electron/**', 'electron'], nodeBuiltins)],
      'no-restricted-globals': ['error', 'process', 'Buffer', 'require', '__dirname'],
    },
  },
  {
    files: ['src/node/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', layer('src/node', ['**/renderer/**', '**/cli/**', '**/electron/**', 'electron'])] },
  },
  {
    // The desktop shell: Electron main (Node) and its preload.
    files: ['electron/**/*.ts'],
    languageOptions: { globals: { ...globals.node } },
    rules: { 'no-restricted-imports': ['error', layer('electron/', ['**/renderer/**', '**/cli/**'])] },
  },
  {
    // What the sandboxed preload bundles: it can require nothing but electron, so no Node and no src/node.
    files: ['electron/preload.ts', 'electron/bridge.ts', 'electron/channels.ts'],
    rules: { 'no-restricted-imports': ['error', layer('The sandboxed preload', ['**/renderer/**', '**/cli/**', '**/node/**', './ipc.ts', './desktop.ts'], nodeBuiltins)] },
  },
  {
    files: ['src/cli/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', layer('The CLI', ['**/renderer/**', '**/electron/**', 'electron'])] },
  },
);
