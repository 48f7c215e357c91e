// @vitest-environment jsdom
/** Issue 14 item 11: the inspector's "Took" is the whole send's time, with each attempt's own time and the wait between them. */
import { mount } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import ExchangeView from '../../../src/renderer/components/inspector/ExchangeView.vue';
import type { Exchange } from '../../../src/renderer/stores/inspector.ts';

const base: Exchange = {
  origin: 'send',
  historyId: 'h-1',
  request: { method: 'POST', url: 'http://127.0.0.1:9/SendHeartbeat', headers: {}, body: '{}' },
  outcome: { kind: 'success', status: 200, headers: {}, body: '' },
  attempts: [{ attempt: 1, startedAt: '2026-01-01T00:00:00.000Z', durationMs: 1.2, status: 200 }],
  timings: { totalMs: 1.4 },
};

describe('ExchangeView "Took" (issue 14 item 11)', () => {
  it('one attempt: its total', () => {
    const view = mount(ExchangeView, { props: { exchange: base } });
    expect(view.get('[data-testid="took"]').text()).toBe('1 ms');
  });

  it('after a Retry-After wait: the whole time, each attempt and the wait', () => {
    const exchange: Exchange = {
      ...base,
      attempts: [
        { attempt: 1, startedAt: '2026-01-01T00:00:00.000Z', durationMs: 1.3, status: 429, errorType: 'ThrottlingException' },
        { attempt: 2, startedAt: '2026-01-01T00:00:02.002Z', durationMs: 2.2, status: 200, delayMs: 2000 },
      ],
      timings: { totalMs: 2004.6, firstByteMs: 2004.1 },
    };
    const view = mount(ExchangeView, { props: { exchange } });
    expect(view.get('[data-testid="took"]').text()).toBe('2005 ms in all: 2 attempts of 1 ms, 2 ms, 2000 ms waiting between them');
  });
});
