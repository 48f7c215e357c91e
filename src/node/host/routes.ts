/** The HTTP binding's routes (routeOf in src/common/api-args.ts) → HeartbeatApi methods. */
import { API_METHODS, routeOf, type ApiMethod } from '../../common/api-args.ts';

const METHOD_OF_ROUTE: Record<string, ApiMethod> = Object.fromEntries(API_METHODS.map((method) => [routeOf(method), method]));

export function methodOfRoute(route: string): ApiMethod | undefined {
  return Object.hasOwn(METHOD_OF_ROUTE, route) ? METHOD_OF_ROUTE[route] : undefined;
}
