/**
 * A throwaway loopback HTTP(S) server for transport tests: records requests and sockets so tests can assert what
 * really went over the wire (connection reuse, a redirect target never contacted, a socket freed by abort).
 */
import { readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo, Socket } from 'node:net';

export type Handler = (req: http.IncomingMessage, res: http.ServerResponse, body: Buffer) => void;

export interface SeenRequest {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

export interface TestServer {
  origin: string;
  port: number;
  /** TCP connections accepted so far. */
  connections: number;
  requests: SeenRequest[];
  sockets: Set<Socket>;
  close(): Promise<void>;
}

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url));
/** Self-signed test-only certificate for localhost / 127.0.0.1. */
export const testCert = { cert: fixture('localhost-cert.pem'), key: fixture('localhost-key.pem') };

export async function startServer(handler: Handler, options: { tls?: boolean } = {}): Promise<TestServer> {
  const listener = (req: http.IncomingMessage, res: http.ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      state.requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      handler(req, res, body);
    });
  };
  const server = options.tls ? https.createServer(testCert, listener) : http.createServer(listener);
  const state: TestServer = {
    origin: '',
    port: 0,
    connections: 0,
    requests: [],
    sockets: new Set(),
    close: async () => {
      for (const s of state.sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  server.on(options.tls ? 'secureConnection' : 'connection', (socket: Socket) => {
    state.connections++;
    state.sockets.add(socket);
    socket.on('close', () => state.sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.port = (server.address() as AddressInfo).port;
  state.origin = `${options.tls ? 'https' : 'http'}://127.0.0.1:${state.port}`;
  return state;
}

/** A port on which nothing listens (bound, then released). */
export async function closedPort(): Promise<number> {
  const s = http.createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}
