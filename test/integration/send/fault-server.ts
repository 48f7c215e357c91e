/**
 * Loopback servers that misbehave on purpose, written on raw sockets so each fault is exact: they
 * parse just enough HTTP/1.1 to see each request, then answer (or not) as the test says.
 */
import { readFileSync } from 'node:fs';
import net from 'node:net';
import tls from 'node:tls';
import { fileURLToPath } from 'node:url';

export interface SeenRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string;
  /** Which connection (1-based) carried it. */
  connection: number;
}

export type Handler = (request: SeenRequest, socket: net.Socket, index: number) => void;

export interface FaultServer {
  url: string;
  port: number;
  requests: SeenRequest[];
  connections: number;
  close(): Promise<void>;
}

export function respond(socket: net.Socket, status: number, headers: Record<string, string> = {}, body = ''): void {
  const all = {
    'content-length': String(Buffer.byteLength(body)),
    date: new Date().toUTCString(),
    'x-amzn-requestid': `req-${Math.random().toString(16).slice(2)}`,
    ...headers,
  };
  socket.write(
    `HTTP/1.1 ${status} X\r\n${Object.entries(all)
      .map(([k, v]) => `${k}: ${v}`)
      .join('\r\n')}\r\n\r\n${body}`,
  );
}

export function serviceError(socket: net.Socket, status: number, type: string, message: string, extra: Record<string, string> = {}): void {
  respond(socket, status, { 'x-amzn-errortype': type, 'content-type': 'application/json', ...extra }, JSON.stringify({ message }));
}

export async function startFaultServer(handler: Handler, options: { tls?: { key: Buffer; cert: Buffer } } = {}): Promise<FaultServer> {
  const sockets = new Set<net.Socket>();
  const state = { requests: [] as SeenRequest[], connections: 0 };
  const onSocket = (socket: net.Socket): void => {
    sockets.add(socket);
    const connection = ++state.connections;
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    let buffer = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      for (let guard = 0; guard < 100; guard++) {
        const end = buffer.indexOf('\r\n\r\n');
        if (end < 0) return;
        const head = buffer.subarray(0, end).toString('latin1').split('\r\n');
        const [method = '', path = ''] = head[0]!.split(' ');
        const headers: Record<string, string> = {};
        for (const line of head.slice(1)) {
          const at = line.indexOf(':');
          headers[line.slice(0, at).trim().toLowerCase()] = line.slice(at + 1).trim();
        }
        const length = Number(headers['content-length'] ?? 0);
        if (buffer.length < end + 4 + length) return;
        const body = buffer.subarray(end + 4, end + 4 + length).toString('utf8');
        buffer = buffer.subarray(end + 4 + length);
        const request = { method, path, headers, body, connection };
        state.requests.push(request);
        handler(request, socket, state.requests.length);
      }
    });
  };
  const server = options.tls ? tls.createServer({ key: options.tls.key, cert: options.tls.cert }, onSocket) : net.createServer(onSocket);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    url: `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    port,
    get requests() {
      return state.requests;
    },
    get connections() {
      return state.connections;
    },
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A port nothing listens on (bound, then released). */
export async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** The committed test-only certificate for 127.0.0.1/localhost (test/fixtures/tls), so TLS tests always run. */
export function selfSignedCertificate(): { key: Buffer; cert: Buffer; certPath: string } {
  const certPath = fileURLToPath(new URL('../../fixtures/tls/cert.pem', import.meta.url));
  return {
    key: readFileSync(fileURLToPath(new URL('../../fixtures/tls/key.pem', import.meta.url))),
    cert: readFileSync(certPath),
    certPath,
  };
}
