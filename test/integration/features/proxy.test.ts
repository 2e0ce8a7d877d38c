/**
 * Behind a corporate proxy (`http.proxy`): VS Code's extension host patches Node's http/https so that an extension's
 * requests (node-fetch here) go through `@vscode/proxy-agent`, which reads `http.proxy`, `http.noProxy` and
 * `http.proxySupport` at each request. A real forward proxy (proxy-chain) on 127.0.0.1 counts what it forwarded; D7
 * is `https://d7.proxy-test.invalid:<port>`, a name that only this test resolves (to 127.0.0.1, where a TLS front
 * hands the bytes to the mock), with a certificate from a CA this test makes and trusts. So every connection stays
 * on 127.0.0.1 and no DNS query leaves the process.
 *
 * Found here (VS Code 1.139): a target of localhost / 127.0.0.1 / ::1 never goes through the proxy; `http.noProxy`
 * sends a listed host direct; `http.proxyStrictSSL: false` does not relax the checking of D7's certificate for an
 * extension's requests (the token is never sent to a host whose certificate is not trusted).
 */
import * as assert from 'node:assert/strict';
import dns from 'node:dns';
import tls from 'node:tls';
import { Server as ProxyServer } from 'proxy-chain';
import * as vscode from 'vscode';
import { createTestCa, startTlsFront, type TlsFront } from '../../mock/tls';
import { MOCK_TOKEN, SCENARIOS, closedPort, ctx, resetState, setSetting, waitFor, type StatusCheck } from '../helpers';

const DOMAIN = 'proxy-test.invalid';
const D7 = `d7.${DOMAIN}`;
const DIRECT = `direct.${DOMAIN}`;
/** Presents a certificate from a CA nobody trusts, as a TLS-inspecting proxy without its root installed would. */
const MITM = `mitm.${DOMAIN}`;

type TlsWithDefaults = typeof tls & { getCACertificates(kind: 'default'): string[]; setDefaultCACertificates(certs: string[]): void };
type Lookup = (host: string, options: unknown, callback: (...args: unknown[]) => void) => void;

const http = () => vscode.workspace.getConfiguration('http');

async function setHttp(key: string, value: unknown): Promise<void> {
  await http().update(key, value, vscode.ConfigurationTarget.Global);
  await waitFor(() => JSON.stringify(http().inspect(key)?.globalValue) === JSON.stringify(value), `http.${key} to read back`);
}

/** Points d7otp.baseUrl at `host` and stores the token for it (a token is bound to the origin it was set for). */
async function pointAt(host: string): Promise<void> {
  await setSetting('baseUrl', front.url(host));
  assert.equal(await vscode.commands.executeCommand<boolean>('d7otp.setToken', MOCK_TOKEN), true, 'token stored');
}

async function lookUp(host: string): Promise<StatusCheck> {
  await pointAt(host);
  const result = await vscode.commands.executeCommand<StatusCheck>('d7otp.checkStatus', SCENARIOS.approved);
  assert.ok(result, 'a record');
  return result;
}

let front: TlsFront;
let proxy: ProxyServer;
/** What the proxy was asked to forward: "CONNECT host:port" or "HTTP host:port". */
const forwarded: string[] = [];
let restore: () => Promise<void>;

describe('proxies: http.proxy, http.noProxy, http.proxyStrictSSL', function () {
  this.timeout(60_000);

  before(async () => {
    const ca = createTestCa();
    const untrusted = createTestCa('A TLS-inspecting proxy nobody trusts');
    front = await startTlsFront(ctx().mock.port, { [MITM]: untrusted.issue([MITM]) }, ca.issue([D7, DIRECT]));
    proxy = new ProxyServer({
      port: 0,
      host: '127.0.0.1',
      prepareRequestFunction: ({ hostname, port, isHttp }) => {
        forwarded.push(`${isHttp ? 'HTTP' : 'CONNECT'} ${hostname}:${port}`);
        return {};
      },
    });
    await proxy.listen();
    // The test's names resolve to 127.0.0.1 here, for the proxy's connections and direct ones alike.
    const original = dns.lookup as unknown as Lookup;
    const stub: Lookup = (host, options, callback) => {
      const cb = (typeof options === 'function' ? options : callback) as (...args: unknown[]) => void;
      const all = typeof options === 'object' && options !== null && (options as { all?: boolean }).all;
      if (!host.toLowerCase().endsWith(`.${DOMAIN}`)) return original.call(dns, host, options, callback);
      process.nextTick(() => (all ? cb(null, [{ address: '127.0.0.1', family: 4 }]) : cb(null, '127.0.0.1', 4)));
    };
    (dns as unknown as { lookup: Lookup }).lookup = stub;
    const tlsDefaults = tls as TlsWithDefaults;
    const trusted = tlsDefaults.getCACertificates('default');
    tlsDefaults.setDefaultCACertificates([...trusted, ca.cert]);
    restore = async () => {
      (dns as unknown as { lookup: Lookup }).lookup = original;
      tlsDefaults.setDefaultCACertificates(trusted);
      for (const key of ['proxy', 'noProxy', 'proxyStrictSSL', 'proxySupport']) await setHttp(key, undefined);
      await proxy.close(true).catch(() => undefined);
      await front.close();
    };
  });

  after(async () => restore?.());

  beforeEach(async () => {
    await resetState();
    forwarded.length = 0;
    front.handshakes.length = 0;
    await setHttp('proxy', `http://127.0.0.1:${proxy.port}`);
    for (const key of ['noProxy', 'proxyStrictSSL', 'proxySupport']) await setHttp(key, undefined);
  });

  it('sends a lookup through http.proxy: one CONNECT to D7, the answer recorded, the token only inside the tunnel', async () => {
    const result = await lookUp(D7);
    assert.equal(result.ok, true, JSON.stringify(result.error));
    assert.equal(result.status, 'APPROVED');
    assert.deepEqual(forwarded, [`CONNECT ${D7}:${front.port}`], 'the proxy forwarded exactly this lookup');
    assert.deepEqual(front.handshakes, [D7], 'TLS was set up with D7 through the tunnel');
    const [request] = ctx().mock.requests;
    assert.equal(request.path, `/verify/v1/report/${SCENARIOS.approved}`);
    assert.equal(request.headers.host, `${D7}:${front.port}`);
    assert.equal(request.headers.authorization, `Bearer ${MOCK_TOKEN}`);
    assert.equal(ctx().api.getHistory()[0].checks[0].status, 'APPROVED', 'recorded like any lookup');
  });

  it('a bulk run goes through the proxy too, every request tunnelled', async () => {
    await pointAt(D7);
    const results = await vscode.commands.executeCommand<StatusCheck[]>('d7otp.checkAllInSelection', [SCENARIOS.open, SCENARIOS.expired, SCENARIOS.failed]);
    assert.deepEqual(results.map((r) => r.status).sort(), ['EXPIRED', 'FAILED', 'OPEN']);
    assert.equal(ctx().mock.requests.length, 3);
    assert.ok(forwarded.length >= 1 && forwarded.every((f) => f === `CONNECT ${D7}:${front.port}`), `tunnels: ${forwarded.join(', ')}`);
  });

  it('http.noProxy: a listed host is reached directly, the others still through the proxy', async () => {
    await setHttp('noProxy', [DIRECT]);
    const direct = await lookUp(DIRECT);
    assert.equal(direct.ok, true, JSON.stringify(direct.error));
    assert.deepEqual(forwarded, [], 'nothing forwarded for the listed host');
    assert.deepEqual(front.handshakes, [DIRECT], 'reached D7 directly');
    const proxied = await lookUp(D7);
    assert.equal(proxied.ok, true);
    assert.deepEqual(forwarded, [`CONNECT ${D7}:${front.port}`]);
  });

  it('http.proxySupport "off": the extension ignores http.proxy', async () => {
    await setHttp('proxySupport', 'off');
    const result = await lookUp(D7);
    assert.equal(result.ok, true, JSON.stringify(result.error));
    assert.deepEqual(forwarded, []);
  });

  it('a loopback D7 (the mock at 127.0.0.1) never goes through the proxy', async () => {
    await setSetting('baseUrl', ctx().mock.url);
    const result = await vscode.commands.executeCommand<StatusCheck>('d7otp.checkStatus', SCENARIOS.approved);
    assert.equal(result.ok, true);
    assert.deepEqual(forwarded, [], 'VS Code sends localhost, 127.0.0.1 and ::1 direct whatever http.proxy says');
  });

  for (const strict of [true, false]) {
    it(`http.proxyStrictSSL ${strict}: a certificate nobody trusts is refused, so the token is not sent`, async () => {
      await setHttp('proxyStrictSSL', strict);
      const result = await lookUp(MITM);
      assert.equal(result.ok, false);
      assert.equal(result.error?.kind, 'network');
      assert.equal(result.error?.messageId, 'certificateUntrusted');
      assert.match(result.error?.message ?? '', /certificate of https:\/\/mitm\.proxy-test\.invalid:\d+ is not trusted \(UNABLE_TO_VERIFY_LEAF_SIGNATURE\)/);
      assert.deepEqual(forwarded, [`CONNECT ${MITM}:${front.port}`], 'the tunnel was opened');
      assert.equal(ctx().mock.requests.length, 0, 'no request reached the server: the token stayed here');
    });
  }

  it('a proxy that is down: one message naming http.proxy, never the proxy password', async () => {
    await setHttp('proxy', `http://someone:s3cret-pw@127.0.0.1:${await closedPort()}`);
    const result = await lookUp(D7);
    assert.equal(result.ok, false);
    assert.equal(result.error?.messageId, 'proxyUnreachable');
    assert.match(result.error?.message ?? '', /through the proxy .*127\.0\.0\.1:\d+.*http\.proxy/);
    assert.doesNotMatch(JSON.stringify(result), /s3cret-pw/);
    assert.doesNotMatch(ctx().api.internals.logLines().join('\n'), /s3cret-pw/);
  });
});
