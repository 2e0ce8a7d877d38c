/**
 * A small local HTTP server for answers the mock D7 server does not give: Retry-After dates, redirect loops and
 * redirects to other origins, hostile error details and reason phrases. Each test routes the paths it needs; a
 * second instance stands for another origin. Node built-ins only (like server.ts): it runs in plain Node and in
 * the VS Code extension host.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request as the edge server received it. */
interface EdgeRequest {
  method: string;
  /** Raw request target, e.g. `/verify/v1/report/…`. */
  path: string;
  host: string;
  authorization?: string;
}

type EdgeHandler = (req: http.IncomingMessage, res: http.ServerResponse, edge: EdgeServer) => void;

export interface EdgeServer {
  /** e.g. `http://127.0.0.1:43123` (no trailing slash). */
  readonly url: string;
  readonly port: number;
  /** Requests received since the last `reset`. */
  readonly requests: EdgeRequest[];
  /** Answers `path` (exact request target) with `handler`; other paths get 404. */
  route(path: string, handler: EdgeHandler): void;
  /** Forgets the requests and the routes. */
  reset(): void;
  /** Stops listening and destroys every open connection. */
  close(): Promise<void>;
}

/** The Get Status path prefix. */
export const REPORT_PATH = '/verify/v1/report/';

/** otp_ids the edge server is asked about (any UUID works: it answers by route, not by id). */
export function edgeId(n: number): string {
  return `edfe0000-0000-4000-8000-${n.toString().padStart(12, '0')}`;
}

/** Starts an edge server on 127.0.0.1 and a free port; resolves once it listens. */
export function startEdgeServer(): Promise<EdgeServer> {
  const routes = new Map<string, EdgeHandler>();
  const requests: EdgeRequest[] = [];
  const server = http.createServer((req, res) => {
    requests.push({ method: req.method ?? '', path: req.url ?? '', host: req.headers.host ?? '', authorization: req.headers.authorization });
    req.resume();
    const handler = routes.get(req.url ?? '');
    if (handler) handler(req, res, edge);
    else json(res, 404, { detail: 'Not Found' });
  });
  const edge: EdgeServer = {
    get url() {
      return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    },
    get port() {
      return (server.address() as AddressInfo).port;
    },
    requests,
    route: (path, handler) => void routes.set(path, handler),
    reset: () => {
      requests.length = 0;
      routes.clear();
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(edge)));
}

/** A JSON answer with Content-Length; `statusText` replaces the reason phrase (hostile ones included). */
export function json(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}, statusText?: string): void {
  const text = JSON.stringify(body);
  res.writeHead(status, statusText ?? http.STATUS_CODES[status] ?? '', {
    'content-type': 'application/json',
    'content-length': String(Buffer.byteLength(text)),
    ...headers,
  });
  res.end(text);
}

/** A redirect without a body. */
export function redirect(res: http.ServerResponse, status: number, location: string): void {
  res.writeHead(status, { location });
  res.end();
}
