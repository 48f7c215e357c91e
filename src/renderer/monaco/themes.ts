/** The app's two Monaco themes, shared by every editor (JSON, scenario YAML, diff). */
import * as monaco from 'monaco-editor/editor/editor.api';

let defined = false;

export const themeName = (dark: boolean): string => (dark ? 'heartbeat-dark' : 'heartbeat-light');

export function defineThemes(): void {
  if (defined) return;
  defined = true;
  monaco.editor.defineTheme('heartbeat-light', { base: 'vs', inherit: true, rules: [], colors: { 'editor.background': '#ffffff' } });
  monaco.editor.defineTheme('heartbeat-dark', { base: 'vs-dark', inherit: true, rules: [], colors: { 'editor.background': '#16181d' } });
}
