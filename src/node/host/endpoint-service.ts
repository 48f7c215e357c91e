/**
 * The embedded endpoint as the app controls it: info, faults, reset, one recent exchange in full,
 * deployment plans, the fleet report, and its activity as host events.
 */
import type { EndpointActivity, EndpointInfo, HeartbeatApi } from '../../common/api.ts';
import { isAppError } from '../../common/errors.ts';
import type { EndpointEvent, RunningEndpoint } from '../endpoint/index.ts';
import type { EventHub } from './events.ts';
import { HostError, sentenceOf } from './host-error.ts';

const RECENT_ACTIVITY = 50;
/** Endpoint activity goes to the event hub at most this often (five times a second; with a fleet run's two, seven)… */
export const ACTIVITY_BATCH_MS = 200;
/** …with at most this many requests in a batch (what the live list shows). */
export const ACTIVITY_BATCH_LIMIT = RECENT_ACTIVITY;

function activityOf(event: EndpointEvent): EndpointActivity {
  const { body: _body, ...rest } = event;
  return rest;
}

export interface EndpointService {
  api: HeartbeatApi['endpoint'];
  close(): void;
}

/** The endpoint's sentence as a HostError, keeping its code (a name in use is 409 in browser mode, an unknown plan 404). */
function hostCall<T>(action: () => T): T {
  try {
    return action();
  } catch (error) {
    throw new HostError(sentenceOf(error), isAppError(error) ? error.code : 'BAD_INPUT');
  }
}

export function createEndpointService(endpoint: RunningEndpoint, events: EventHub): EndpointService {
  // Batched: at most one event every ACTIVITY_BATCH_MS with the latest ACTIVITY_BATCH_LIMIT requests, so a
  // fleet of thousands of devices is a few events a second to each window, not thousands.
  let batch: EndpointEvent[] = [];
  let skipped = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const flush = (): void => {
    timer = undefined;
    const activities = batch.map(activityOf);
    const left = skipped;
    batch = [];
    skipped = 0;
    if (activities.length > 0) events.emit({ type: 'endpoint-activity', activities, skipped: left });
  };
  const unsubscribe = endpoint.admin.subscribe((event) => {
    batch.push(event);
    if (batch.length > ACTIVITY_BATCH_LIMIT) {
      batch.shift();
      skipped++;
    }
    timer ??= setTimeout(flush, ACTIVITY_BATCH_MS);
  });
  const stop = (): void => {
    unsubscribe();
    if (timer) clearTimeout(timer);
  };
  async function info(): Promise<EndpointInfo> {
    const stats = endpoint.admin.stats();
    return {
      running: true,
      url: endpoint.url,
      region: endpoint.region,
      anyRegion: endpoint.anyRegion,
      accessKeyId: endpoint.credentials[0]?.accessKeyId ?? '',
      counts: { received: stats.received, accepted: stats.accepted, rejected: stats.rejected, devices: endpoint.admin.devices().length },
      faults: endpoint.admin.faults(),
      recent: endpoint.admin.recentHeartbeats(RECENT_ACTIVITY).map(activityOf),
    };
  }
  return {
    api: {
      info,
      async setFaults(faults) {
        try {
          endpoint.admin.setFaults(faults);
        } catch (error) {
          throw new HostError(sentenceOf(error));
        }
        return info();
      },
      async reset() {
        endpoint.admin.reset();
        return info();
      },
      async exchange(id) {
        return endpoint.admin.exchange(id);
      },
      async fleetReport(options) {
        return endpoint.admin.fleetReport(options);
      },
      async deploymentPlans() {
        return endpoint.admin.deploymentPlans();
      },
      async createDeploymentPlan(plan) {
        return hostCall(() => endpoint.admin.createDeploymentPlan(plan));
      },
      async cancelDeploymentPlan(name) {
        return hostCall(() => endpoint.admin.cancelDeploymentPlan(name));
      },
    },
    close: stop,
  };
}
