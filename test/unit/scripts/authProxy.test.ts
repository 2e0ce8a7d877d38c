/**
 * scripts/authProxy.js: the token gate in front of the sandboxed code-server (npm start, the test runners, the
 * bench). Against a stand-in code-server on a Unix socket, over real sockets: no way in without the session token,
 * none for another Host name (DNS rebinding), and the workbench's WebSocket only with the cookie.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

interface Gate {
  port: number;
  close(): Promise<void>;
}
interface AuthProxyModule {
  startAuthProxy(o: { port: number; socketPath: string; token: string }): Promise<Gate>;
  newToken(): string;
  COOKIE: string;
}

const ROOT = path.resolve(__dirname, '..', '..', '..', '..');

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

function get(port: number, urlPath: string, headers: Record<string, string> = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path: urlPath, headers: { host: `127.0.0.1:${port}`, ...headers } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
  });
}

/** A raw WebSocket upgrade; resolves the first line the gate (or the stand-in) answers. */
function upgrade(port: number, headers: Record<string, string>): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => {
      const all: Record<string, string> = { Host: `127.0.0.1:${port}`, Connection: 'Upgrade', Upgrade: 'websocket', ...headers };
      const lines = ['GET /stable-x?reconnectionToken=1 HTTP/1.1', ...Object.entries(all).map(([k, v]) => `${k}: ${v}`)];
      socket.write(`${lines.join('\r\n')}\r\n\r\n`);
    });
    let data = '';
    socket.on('data', (d) => {
      data += d.toString('latin1');
      if (data.includes('\r\n')) {
        socket.destroy();
        resolve(data.split('\r\n')[0]);
      }
    });
    socket.on('error', reject);
    socket.on('close', () => resolve(data.split('\r\n')[0]));
  });
}

describe('scripts/authProxy (the sandbox gate)', () => {
  let proxy: AuthProxyModule;
  let dir: string;
  let upstream: http.Server;
  let gate: Gate;
  let token: string;
  const reached: string[] = [];

  before(async () => {
    proxy = (await import(path.join(ROOT, 'scripts', 'authProxy.js'))) as AuthProxyModule;
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'd7otp-gate-'));
    const socketPath = path.join(dir, 'cs.sock');
    upstream = http.createServer((req, res) => {
      reached.push(req.url ?? '');
      res.end(`code-server ${req.url}`);
    });
    upstream.on('upgrade', (req, socket) => {
      reached.push(`upgrade ${req.url}`);
      socket.end('HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n');
    });
    await new Promise<void>((r) => upstream.listen(socketPath, r));
    token = proxy.newToken();
    gate = await proxy.startAuthProxy({ port: 0, socketPath, token });
  });

  after(async () => {
    await gate.close();
    await new Promise((r) => upstream.close(r));
    fs.rmSync(dir, { recursive: true, force: true });
  });

  beforeEach(() => reached.splice(0));

  it('11.21: without the token, nothing reaches code-server (no page, no WebSocket): 401', async () => {
    for (const p of ['/', '/?folder=/tmp', '/stable-x/static/out/vs/code/browser/workbench/workbench.html', '/healthz']) {
      assert.equal((await get(gate.port, p)).status, 401, p);
    }
    assert.equal((await get(gate.port, '/?sandbox-token=wrong')).status, 401);
    assert.equal((await get(gate.port, '/', { cookie: `${proxy.COOKIE}=wrong` })).status, 401);
    assert.match(await upgrade(gate.port, {}), /^HTTP\/1\.1 401/);
    assert.deepEqual(reached, []);
  });

  it('11.21: the printed URL (?sandbox-token=) sets an HttpOnly SameSite=Strict cookie and redirects to the same URL without the token', async () => {
    const answer = await get(gate.port, `/?sandbox-token=${token}&folder=%2Ftmp%2Fw&payload=x`);
    assert.equal(answer.status, 302);
    assert.equal(answer.headers.location, '/?folder=%2Ftmp%2Fw&payload=x');
    assert.match(String(answer.headers['set-cookie']), new RegExp(`^${proxy.COOKIE}=${token}; Path=/; HttpOnly; SameSite=Strict$`));
    assert.deepEqual(reached, []);
  });

  it('11.21: with the cookie, pages and the WebSocket go through to code-server', async () => {
    const cookie = `other=1; ${proxy.COOKIE}=${token}`;
    const page = await get(gate.port, '/?folder=%2Ftmp', { cookie });
    assert.deepEqual([page.status, page.body], [200, 'code-server /?folder=%2Ftmp']);
    // The workbench's own resource requests carry VS Code's (empty) connection-token parameter: not ours.
    assert.equal((await get(gate.port, '/stable-x/vscode-remote-resource?path=%2Fx&tkn=', { cookie })).status, 200);
    assert.match(await upgrade(gate.port, { Cookie: cookie }), /^HTTP\/1\.1 101/);
    assert.deepEqual(reached, ['/?folder=%2Ftmp', '/stable-x/vscode-remote-resource?path=%2Fx&tkn=', 'upgrade /stable-x?reconnectionToken=1']);
  });

  it('11.21: another Host name (a DNS-rebinding page) is refused even with the token and the cookie: 403', async () => {
    const cookie = `${proxy.COOKIE}=${token}`;
    for (const host of [`evil.example:${gate.port}`, 'evil.example', `127.0.0.1:${gate.port + 1}`, 'localhost']) {
      assert.equal((await get(gate.port, `/?sandbox-token=${token}`, { host, cookie })).status, 403, host);
    }
    assert.match(await upgrade(gate.port, { Cookie: cookie, Host: 'evil.example' }), /^HTTP\/1\.1 40[13]/);
    assert.equal((await get(gate.port, '/', { host: `localhost:${gate.port}`, cookie })).status, 200, 'localhost is its own name too');
    assert.deepEqual(reached, ['/']);
  });

  it('11.21: every session has its own token, long enough not to be guessed', () => {
    const tokens = new Set(Array.from({ length: 20 }, () => proxy.newToken()));
    assert.equal(tokens.size, 20);
    for (const t of tokens) assert.match(t, /^[A-Za-z0-9_-]{32}$/);
  });
});
