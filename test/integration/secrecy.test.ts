/**
 * The API token never lands in history (the API, globalState), in the log, or in any recorded result — in clear,
 * base64 (alone or as "Bearer …", as in a Basic/Bearer header dump) or URL-encoded — whatever the outcome.
 *
 * A second mock server accepts a unique token, so successful checks happen with it too; the requests it received
 * prove that the token was really sent (so its absence elsewhere means something).
 */
import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { startMockServer, type MockServer } from '../mock/server';
import { HISTORY_KEY, SCENARIOS, UNKNOWN_ID, check, closedPort, ctx, historyFiles, resetState, setSetting, useBaseUrl, type StatusCheck } from './helpers';

/** Characters that change under base64 and URL encoding, so every form differs from the clear one. */
const TOKEN = `itest-${randomBytes(12).toString('hex')}.+/=~_`;

function forms(token: string): Record<string, string> {
  return {
    clear: token,
    'URL-encoded': encodeURIComponent(token),
    base64: Buffer.from(token).toString('base64'),
    base64url: Buffer.from(token).toString('base64url'),
    'base64 of "Bearer <token>"': Buffer.from(`Bearer ${token}`).toString('base64'),
    'hex secret part': token.slice(6, 30),
  };
}

function assertNoToken(where: string, text: string): void {
  for (const [name, form] of Object.entries(forms(TOKEN))) {
    assert.ok(!text.includes(form), `the token (${name}) appears in ${where}`);
  }
}

describe('the token stays secret', () => {
  let secretMock: MockServer;
  const results: StatusCheck[] = [];

  before(async () => {
    secretMock = await startMockServer({ token: TOKEN, slowMs: 5000 });
  });

  after(async () => {
    await secretMock?.close();
  });

  beforeEach(async () => {
    await resetState({ token: TOKEN });
    results.length = 0;
    secretMock.reset();
    await useBaseUrl(secretMock.url, TOKEN);
    await setSetting('retry.maxRetries', 0);
  });

  it('is absent from results, history, globalState and the log, whatever the outcome', async () => {
    const run = async (otpId: string) => results.push(await check(otpId));
    await run(SCENARIOS.open); // success
    await run(SCENARIOS.withExtraFields);
    await run(UNKNOWN_ID); // 404
    await run(SCENARIOS.rateLimited); // 429
    await run(SCENARIOS.serverError); // 502 HTML
    await run(SCENARIOS.statusMissing); // bad-response
    await run(SCENARIOS.redirectOtherHost); // redirect elsewhere, not followed
    await run(SCENARIOS.redirectSameHost); // followed
    await run(SCENARIOS.reset); // connection reset
    await setSetting('requestTimeoutSeconds', 1);
    await run(SCENARIOS.slow); // timeout
    await useBaseUrl(ctx().mock.url, TOKEN);
    await run(SCENARIOS.approved); // 401: the main mock wants another token
    await useBaseUrl(`http://127.0.0.1:${await closedPort()}`, TOKEN);
    await run(SCENARIOS.expired); // connection refused
    await setSetting('baseUrl', 'http://example.com');
    await run(SCENARIOS.failed); // refused base URL

    // The token was really used.
    assert.ok(secretMock.requests.length >= 10, `${secretMock.requests.length} requests reached the mock`);
    for (const request of secretMock.requests) assert.equal(request.headers.authorization, `Bearer ${TOKEN}`);
    assert.deepStrictEqual(
      results.map((r) => r.error?.kind ?? 'ok'),
      ['ok', 'ok', 'not-found', 'rate-limited', 'server', 'bad-response', 'bad-response', 'ok', 'network', 'timeout', 'unauthorized', 'network', 'config'],
    );

    assertNoToken('the recorded results', JSON.stringify(results));
    assertNoToken('getHistory()', JSON.stringify(ctx().api.getHistory()));
    await ctx().api.internals.history.flush();
    assertNoToken('globalState', JSON.stringify(ctx().api.internals.globalState.get(HISTORY_KEY)) ?? '');
    for (const [file, text] of historyFiles()) assertNoToken(`the history file ${file}`, text);
    const log = ctx().api.internals.logLines().join('\n');
    assert.ok(log.includes('/verify/v1/report/'), 'the log has the request lines');
    assertNoToken('the log', log);
    assert.ok(!/authorization/i.test(log), 'no header in the log');
  });

  it('is absent from the log and results after set, refused set and clear', async () => {
    const logBefore = ctx().api.internals.logLines().length;
    assert.equal(await vscode.commands.executeCommand('d7otp.setToken', `Bearer ${TOKEN}`), true);
    assert.equal(await vscode.commands.executeCommand('d7otp.setToken', `${TOKEN} ${TOKEN}`), false);
    assert.equal(await vscode.commands.executeCommand('d7otp.setToken', `${TOKEN}\n`), true);
    results.push(await check(SCENARIOS.open));
    await vscode.commands.executeCommand('d7otp.clearToken');
    results.push(await check(SCENARIOS.open));
    assert.deepStrictEqual(
      results.map((r) => r.error?.kind ?? 'ok'),
      ['ok', 'config'],
    );
    assertNoToken('the log', ctx().api.internals.logLines().slice(logBefore).join('\n'));
    assertNoToken('the results', JSON.stringify(results));
  });
});
