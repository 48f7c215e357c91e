// @vitest-environment jsdom
/**
 * Issue 14, item 25 (wording): a transport error's sentence appears once in the response view (it
 * was in the status line and in the details, for eyes and screen readers alike); no message the UI
 * shows has Markdown backticks around a command.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import InspectorPanel from '../../../src/renderer/components/InspectorPanel.vue';
import { useInspectorStore } from '../../../src/renderer/stores/inspector.ts';
import { useSessionStore } from '../../../src/renderer/stores/session.ts';

const SENTENCE = 'The host name of nohost.invalid could not be resolved; check the URL or your DNS and network.';
const count = (text: string, part: string): number => text.split(part).length - 1;

describe('wording', () => {
  it('shows a DNS error sentence once', async () => {
    const pinia = createPinia();
    setActivePinia(pinia);
    const w = mount(InspectorPanel, { global: { plugins: [pinia] } });
    const result = {
      id: 's',
      historyId: 'h',
      request: { method: 'POST', url: 'http://nohost.invalid/SendHeartbeat', headers: {}, body: '{}' },
      outcome: { kind: 'transport-error' as const, code: 'dns' as const, message: SENTENCE, retried: true },
      attempts: [1, 2].map((attempt) => ({
        attempt,
        startedAt: '2026-11-30T05:00:00.000Z',
        durationMs: 3,
        errorType: 'dns',
        message: SENTENCE,
      })),
    };
    useInspectorStore().show({
      origin: 'send',
      historyId: 'h',
      request: result.request,
      outcome: result.outcome,
      attempts: result.attempts,
    });
    useSessionStore().setSendState({ status: 'done', result });
    await w.vm.$nextTick();
    const text = w.find('[data-testid="inspector-status"]').element.textContent ?? '';
    expect(count(text, SENTENCE)).toBe(1);
    expect(w.find('[role="status"]').text()).toBe('No answer: dns error.');
  });

  it('no UI message wraps a command in Markdown backticks', () => {
    const files: string[] = [];
    const walk = (dir: string): void => {
      for (const name of readdirSync(dir)) {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) walk(path);
        else if (/\.(ts|vue)$/.test(name)) files.push(path);
      }
    };
    walk(join(import.meta.dirname, '..', '..', '..', 'src', 'renderer'));
    const offenders: string[] = [];
    for (const file of files) {
      for (const [i, line] of readFileSync(file, 'utf8').split('\n').entries()) {
        if (/^\s*(\/\/|\*|\/\*)/.test(line)) continue;
        // A quoted message with `command` inside it (template literals, with ${…}, are code).
        const quoted = line.match(/'[^'\n]*'/g) ?? [];
        if (quoted.some((q) => /`[a-z][a-z -]*`/.test(q) && !q.includes('${'))) offenders.push(`${file}:${i + 1}: ${line.trim()}`);
      }
    }
    expect(offenders).toEqual([]);
  });
});
