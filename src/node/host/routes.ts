/** The HTTP binding's routes (HTTP_ROUTES in src/common/api.ts) → HeartbeatApi methods. */
import { API_METHODS, HTTP_ROUTE_OF, type ApiMethod } from '../../common/api-args.ts';

const METHOD_OF_ROUTE: Record<string, ApiMethod> = Object.fromEntries(API_METHODS.map((method) => [HTTP_ROUTE_OF[method], method]));

export function methodOfRoute(route: string): ApiMethod | undefined {
  return Object.hasOwn(METHOD_OF_ROUTE, route) ? METHOD_OF_ROUTE[route] : undefined;
}
