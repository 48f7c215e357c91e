/** The HTTP binding's routes (HTTP_ROUTES in src/common/api.ts) → HeartbeatApi methods. */
import { HTTP_ROUTES } from '../../common/api.ts';
import type { ApiMethod } from '../../common/api-args.ts';

const METHOD_OF_ROUTE: Record<string, ApiMethod> = {
  [HTTP_ROUTES.send]: 'send',
  [HTTP_ROUTES.cancel]: 'cancel',
  [HTTP_ROUTES.historyQuery]: 'history.query',
  [HTTP_ROUTES.historyGet]: 'history.get',
  [HTTP_ROUTES.historyExport]: 'history.export',
  [HTTP_ROUTES.historyClear]: 'history.clear',
  [HTTP_ROUTES.replay]: 'replay',
  [HTTP_ROUTES.credentialProfiles]: 'credentials.profiles',
  [HTTP_ROUTES.credentialManual]: 'credentials.registerManualKeys',
  [HTTP_ROUTES.endpointInfo]: 'endpoint.info',
  [HTTP_ROUTES.endpointFaults]: 'endpoint.setFaults',
  [HTTP_ROUTES.endpointReset]: 'endpoint.reset',
  [HTTP_ROUTES.settingsGet]: 'settings.get',
  [HTTP_ROUTES.settingsUpdate]: 'settings.update',
};

export function methodOfRoute(route: string): ApiMethod | undefined {
  return Object.hasOwn(METHOD_OF_ROUTE, route) ? METHOD_OF_ROUTE[route] : undefined;
}
