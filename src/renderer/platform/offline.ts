/**
 * The platform when no host is present (the built UI opened from a plain static server): the
 * composer, validation and every editor work; anything that needs a host says so in one sentence.
 */
import type { HeartbeatApi } from '../../common/api.ts';
import { PlatformError } from './errors.ts';

export const NOT_CONNECTED = 'Not connected to a host: start the app with "npm start" (or "heartbeat ui") to send and see history.';

export function createOfflineApi(): HeartbeatApi {
  const refuse = (): Promise<never> => Promise.reject(new PlatformError(NOT_CONNECTED, 'not-connected'));
  return {
    send: refuse,
    cancel: () => Promise.resolve(false),
    history: { query: refuse, get: refuse, export: refuse, clear: refuse, prune: refuse },
    replay: refuse,
    credentials: {
      profiles: () => Promise.resolve([]),
      registerManualKeys: refuse,
      manualKeys: () => Promise.resolve([]),
      forgetManualKeys: refuse,
    },
    endpoint: {
      info: refuse,
      setFaults: refuse,
      reset: refuse,
      exchange: refuse,
      fleetReport: refuse,
      deploymentPlans: refuse,
      createDeploymentPlan: refuse,
      cancelDeploymentPlan: refuse,
    },
    fleet: {
      start: refuse,
      stop: () => Promise.resolve(undefined),
      pause: () => Promise.resolve(undefined),
      resume: () => Promise.resolve(undefined),
      state: () => Promise.resolve(undefined),
      devices: () => Promise.resolve([]),
      device: () => Promise.resolve(undefined),
    },
    captures: {
      open: refuse,
      append: refuse,
      finish: refuse,
      info: () => Promise.resolve(undefined),
      rows: refuse,
      item: () => Promise.resolve(undefined),
      issues: refuse,
      close: () => Promise.resolve(false),
    },
    runs: {
      start: refuse,
      pause: () => Promise.resolve(undefined),
      resume: () => Promise.resolve(undefined),
      cancel: () => Promise.resolve(undefined),
      state: () => Promise.resolve(undefined),
      export: refuse,
    },
    environments: { get: refuse, save: refuse },
    settings: { get: refuse, update: refuse },
    subscribe: () => () => undefined,
  };
}
