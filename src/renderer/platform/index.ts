/**
 * The platform is chosen once at start-up: the Electron preload's `window.heartbeat`, else the
 * loopback HTTP host when the URL fragment carries its token, else offline (the composer works, sending
 * says it needs a host). Components and stores get it by injection, never by importing a host.
 */
import type { DesktopBridge, HeartbeatApi } from '../../common/api.ts';
import { createHttpApi } from './http.ts';
import { createOfflineApi } from './offline.ts';
import { streamStatus, type StreamStatus } from './sse.ts';

export type PlatformKind = 'electron' | 'http' | 'offline';

export interface Platform {
  kind: PlatformKind;
  api: HeartbeatApi;
  /** The desktop app's menu commands (Electron only). */
  desktop?: DesktopBridge;
  /** The state of the event stream to the loopback host (browser mode only). */
  connection?: StreamStatus;
}

export interface StartupEnvironment {
  /** The Electron preload's bridge, when present. */
  bridge?: HeartbeatApi;
  /** The preload's desktop bridge (menu commands), when present. */
  desktop?: DesktopBridge;
  /** location.origin and location.hash. */
  origin: string;
  hash: string;
}

/** The token in a fragment like "#token=abc" (other fragment parameters are ignored). */
export function tokenFromHash(hash: string): string | undefined {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const token = params.get('token');
  return token && /^[A-Za-z0-9_-]{16,}$/.test(token) ? token : undefined;
}

export function createPlatform(env: StartupEnvironment): Platform {
  if (env.bridge) return { kind: 'electron', api: env.bridge, ...(env.desktop ? { desktop: env.desktop } : {}) };
  const token = tokenFromHash(env.hash);
  if (token) {
    const connection = streamStatus();
    return { kind: 'http', api: createHttpApi({ baseUrl: env.origin, token, status: connection }), connection };
  }
  return { kind: 'offline', api: createOfflineApi() };
}

/** The start-up environment of this window. */
export function currentEnvironment(): StartupEnvironment {
  const { heartbeat: bridge, heartbeatDesktop: desktop } = window as Window & {
    heartbeat?: HeartbeatApi;
    heartbeatDesktop?: DesktopBridge;
  };
  return { bridge, desktop, origin: window.location.origin, hash: window.location.hash };
}
