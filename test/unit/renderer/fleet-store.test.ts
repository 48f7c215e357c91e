// @vitest-environment jsdom
import { beforeEach, describe, expect, it } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import type { FleetState } from '../../../src/common/api.ts';
import { useFleetStore } from '../../../src/renderer/stores/fleet.ts';

const stats = { elapsedMs: 5000, devices: 2, registered: 2, operations: {} } as unknown as FleetState['stats'];
const state = (id: string, s: FleetState['state']): FleetState => ({
  id,
  state: s,
  scenario: 'demo',
  startedAt: '2026-11-30T12:00:00.000Z',
  stats,
});

describe('fleet store: run states arriving out of order', () => {
  beforeEach(() => setActivePinia(createPinia()));

  it('keeps an ended run ended when stop\'s older "stopping" answer comes after the "finished" event', () => {
    const store = useFleetStore();
    store.applyState(state('r1', 'running'));
    store.applyState(state('r1', 'finished'));
    store.applyState(state('r1', 'stopping'));
    expect(store.run?.state).toBe('finished');
    store.applyState(state('r1', 'running'));
    expect(store.run?.state).toBe('finished');
  });

  it('still follows every state of a run under way, and a new run after an ended one', () => {
    const store = useFleetStore();
    for (const s of ['running', 'paused', 'running', 'stopping', 'failed'] as const) {
      store.applyState(state('r1', s));
      expect(store.run?.state).toBe(s);
    }
    store.applyState(state('r2', 'running'));
    expect(store.run).toMatchObject({ id: 'r2', state: 'running' });
  });
});
