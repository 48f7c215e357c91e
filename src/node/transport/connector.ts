/**
 * undici's connect function, written out so each socket carries its own phase times (TCP connected,
 * TLS done). send-once reads them to report connect/TLS phases for the attempt that opened the socket.
 */
import net from 'node:net';
import tls from 'node:tls';
import type { Socket } from 'node:net';
import type { buildConnector } from 'undici';

export interface SocketTimes {
  startedAt: number;
  connectedAt?: number;
  secureAt?: number;
  /** Set once an attempt has reported this socket's phases; later reuses report none. */
  claimed: boolean;
}

export const socketTimes = new WeakMap<Socket, SocketTimes>();

export interface ConnectorOptions {
  connectTimeoutMs: number;
  ca?: string | Buffer;
  rejectUnauthorized: boolean;
}

export function createConnector(options: ConnectorOptions): buildConnector.connector {
  return (params, callback) => {
    const secure = params.protocol === 'https:';
    const host = params.hostname.replace(/^\[|\]$/g, '');
    const port = Number(params.port) || (secure ? 443 : 80);
    const times: SocketTimes = { startedAt: performance.now(), claimed: false };
    const socket: Socket = secure
      ? tls.connect({
          host,
          port,
          servername: params.servername ?? (net.isIP(host) ? undefined : host),
          ALPNProtocols: ['http/1.1'],
          rejectUnauthorized: options.rejectUnauthorized,
          ...(options.ca ? { ca: options.ca } : {}),
          ...(params.httpSocket ? { socket: params.httpSocket } : {}),
        })
      : net.connect({ host, port });
    socket.setNoDelay(true);
    socketTimes.set(socket, times);
    let settled = false;
    const settle = (error: Error | null): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (error) {
        socket.destroy();
        callback(error, null);
      } else callback(null, socket);
    };
    const timer = setTimeout(
      () => settle(Object.assign(new Error('connect timeout'), { code: 'HB_CONNECT_TIMEOUT' })),
      options.connectTimeoutMs,
    );
    socket.once('connect', () => {
      times.connectedAt = performance.now();
      if (!secure) settle(null);
    });
    if (secure) {
      socket.once('secureConnect', () => {
        times.secureAt = performance.now();
        times.connectedAt ??= times.secureAt;
        settle(null);
      });
    }
    socket.once('error', (error) => settle(error));
  };
}
