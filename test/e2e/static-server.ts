/** The built UI on 127.0.0.1 (port 0) with no host behind it, for the offline end-to-end tests. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serveStaticFile } from '../../src/node/host/static-files.ts';

export interface StaticServer {
  url: string;
  close(): Promise<void>;
}

/** The same file serving (and CSP) as the browser-mode host, without its API. */
export async function serveStatic(root: string): Promise<StaticServer> {
  const server: Server = createServer((req, res) => {
    let path: string;
    try {
      path = decodeURIComponent(new URL(req.url ?? '/', 'http://127.0.0.1').pathname);
    } catch {
      res.writeHead(400).end();
      return;
    }
    void serveStaticFile(root, path, req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
