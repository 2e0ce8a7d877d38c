// The gate in front of the sandboxed code-server that scripts/codeServer.js starts (npm start, the test runners,
// the bench). code-server itself runs with `--auth none` on a Unix socket inside a private (0700) temp dir, so no
// other local user can reach it; this proxy is the only way in, on 127.0.0.1, and it lets a request through only
//   - when its Host is the proxy's own loopback address (127.0.0.1 / localhost / [::1] with its port): a DNS
//     rebinding page, whose Host is its own name, is refused even from the same browser;
//   - and when it carries the session's random token: `?sandbox-token=<token>` in the URL (the printed URL holds it, so a
//     newcomer just opens it), which sets an HttpOnly, SameSite=Strict cookie and redirects to the same URL
//     without the token; after that the cookie, also on the workbench's WebSocket.
// Anything else gets 401 or 403 and never reaches code-server: without the token nobody gets the terminal,
// the files or the extension host that code-server would otherwise give to anyone who can open the port.
'use strict';

const crypto = require('node:crypto');
const http = require('node:http');
const net = require('node:net');

const COOKIE = 'd7otp-sandbox-token';
const QUERY = 'sandbox-token';

/** A new random session token (URL-safe). */
function newToken() {
  return crypto.randomBytes(24).toString('base64url');
}

function sameSecret(given, token) {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && crypto.timingSafeEqual(a, b);
}

function cookieToken(header) {
  for (const part of String(header || '').split(';')) {
    const [name, ...rest] = part.trim().split('=');
    if (name === COOKIE) return rest.join('=');
  }
  return undefined;
}

/**
 * What the gate decides for one request: `pass`, `login` (a good `?sandbox-token=`: set the cookie, redirect to `location`),
 * or a refusal with its HTTP status and a one-line reason.
 */
function decide(req, { token, port }) {
  const hosts = new Set([`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`]);
  if (!hosts.has(String(req.headers.host || '').toLowerCase())) {
    return { status: 403, reason: 'This sandbox answers only on its own loopback address.' };
  }
  const url = new URL(req.url || '/', 'http://sandbox');
  const fromQuery = url.searchParams.get(QUERY);
  if (fromQuery !== null) {
    if (!sameSecret(fromQuery, token)) return { status: 401, reason: 'Wrong token in the URL.' };
    url.searchParams.delete(QUERY);
    return { status: 302, location: `${url.pathname}${url.search}` };
  }
  if (sameSecret(cookieToken(req.headers.cookie), token)) return { status: 200 };
  return { status: 401, reason: 'Open the URL that `npm start` printed: it carries the token this sandbox asks for.' };
}

/**
 * Starts the gate on `host:port`, forwarding to code-server's Unix socket `socketPath`.
 * @param {{ host?: string, port: number, socketPath: string, token: string }} o
 * @returns {Promise<{ port: number, close(): Promise<void> }>}
 */
function startAuthProxy(o) {
  const host = o.host || '127.0.0.1';
  const sockets = new Set();
  let port = o.port;
  const server = http.createServer((req, res) => {
    const verdict = decide(req, { token: o.token, port });
    if (verdict.status === 302) {
      res.writeHead(302, { location: verdict.location, 'set-cookie': `${COOKIE}=${o.token}; Path=/; HttpOnly; SameSite=Strict`, 'cache-control': 'no-store' });
      return res.end();
    }
    if (verdict.status !== 200) {
      res.writeHead(verdict.status, { 'content-type': 'text/plain; charset=utf-8' });
      return res.end(`${verdict.reason}\n`);
    }
    const upstream = http.request({ socketPath: o.socketPath, path: req.url, method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode || 502, answer.rawHeaders);
      answer.pipe(res);
    });
    upstream.on('error', () => {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('code-server is not answering.\n');
    });
    req.pipe(upstream);
  });
  server.on('upgrade', (req, socket, head) => {
    const verdict = decide(req, { token: o.token, port });
    if (verdict.status !== 200) {
      socket.end(`HTTP/1.1 ${verdict.status === 403 ? '403 Forbidden' : '401 Unauthorized'}\r\nConnection: close\r\n\r\n`);
      return;
    }
    const upstream = net.connect(o.socketPath, () => {
      const lines = [`${req.method} ${req.url} HTTP/${req.httpVersion}`];
      for (let i = 0; i < req.rawHeaders.length; i += 2) lines.push(`${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}`);
      upstream.write(`${lines.join('\r\n')}\r\n\r\n`);
      if (head && head.length) upstream.write(head);
      socket.pipe(upstream).pipe(socket);
    });
    const end = () => {
      socket.destroy();
      upstream.destroy();
    };
    for (const s of [upstream, socket]) {
      s.on('error', end);
      s.on('close', end);
    }
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, host, () => {
      port = server.address().port;
      resolve({
        port,
        close: () =>
          new Promise((done) => {
            for (const s of sockets) s.destroy();
            server.close(() => done());
          }),
      });
    });
  });
}

module.exports = { startAuthProxy, newToken, decide, COOKIE, QUERY };
