/**
 * The token feature (src/features/token): D7 OTP: Set API Token / Clear API Token with the token as argument (no
 * password box), and Show Token Info (what a JWT says, never the token).
 *
 * SecretStorage belongs to the extension, and a test cannot read another extension's secrets, so the round trip
 * is proven through its effect: a check afterwards sends exactly the stored token (the mock records the
 * Authorization header), or fails with "No API token set" and sends nothing.
 *
 * The context key `d7otp.hasToken` cannot be read from an extension host (there is no getContext command). It is
 * set by TokenStore.updateContext() from the same `has()` that these checks depend on, right after each store and
 * delete (and on SecretStorage changes from other windows). package.json's `viewsWelcome` shows the "Set API
 * Token" button when `!d7otp.hasToken` and the "Check Status" button when `d7otp.hasToken`; the UI test
 * (test/ui) looks at the welcome view itself.
 */
import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import * as sinon from 'sinon';
import * as vscode from 'vscode';
import type { TokenInfo } from '../../../src/features/token/tokenInfo';
import { MOCK_TOKEN, SCENARIOS, check, ctx, resetState } from '../helpers';

async function setToken(value: unknown): Promise<boolean | undefined> {
  return vscode.commands.executeCommand<boolean>('d7otp.setToken', value);
}

describe('set and clear the API token', () => {
  beforeEach(() => resetState({ token: null }));

  it('set: the token is stored in SecretStorage and used by the next check', async () => {
    assert.equal(await setToken(MOCK_TOKEN), true, 'setToken returns true when stored');
    const result = await check(SCENARIOS.open);
    assert.equal(result.ok, true, result.error?.message);
    assert.equal(ctx().mock.requests[0].headers.authorization, `Bearer ${MOCK_TOKEN}`);
  });

  it('clear: the token is removed; a check then gives "No API token set" and sends nothing', async () => {
    assert.equal(await setToken(MOCK_TOKEN), true);
    assert.equal((await check(SCENARIOS.open)).ok, true);
    await vscode.commands.executeCommand('d7otp.clearToken');
    ctx().mock.reset();
    const result = await check(SCENARIOS.open);
    assert.equal(result.ok, false);
    assert.equal(result.error?.kind, 'config');
    assert.match(result.error?.message ?? '', /No API token set/);
    assert.equal(ctx().mock.requests.length, 0, 'no request without a token');
  });

  it('clear twice is harmless', async () => {
    await vscode.commands.executeCommand('d7otp.clearToken');
    await vscode.commands.executeCommand('d7otp.clearToken');
    assert.equal((await check(SCENARIOS.open)).error?.kind, 'config');
  });

  it('set replaces the previous token', async () => {
    assert.equal(await setToken('some-other-token'), true);
    assert.equal((await check(SCENARIOS.open)).error?.kind, 'unauthorized');
    assert.equal(await setToken(MOCK_TOKEN), true);
    assert.equal((await check(SCENARIOS.open)).ok, true);
    assert.deepStrictEqual(
      ctx().mock.requests.map((r) => r.headers.authorization),
      ['Bearer some-other-token', `Bearer ${MOCK_TOKEN}`],
    );
  });

  // What is refused and what is stripped (a "Bearer " prefix, whitespace): test/unit/features/token/tokenRules.test.ts.
  // Here: a refused value leaves the token stored before in SecretStorage.
  for (const invalid of ['Bearer ', 'a\nb']) {
    it(`refuses ${JSON.stringify(invalid)} and keeps the token stored before`, async () => {
      assert.equal(await setToken(MOCK_TOKEN), true);
      assert.equal(await setToken(invalid), false);
      const result = await check(SCENARIOS.open);
      assert.equal(result.ok, true, 'the earlier token is still stored');
      assert.equal(ctx().mock.requests[0].headers.authorization, `Bearer ${MOCK_TOKEN}`);
    });
  }
});

describe('Show Token Info: never the token', () => {
  /** Not a JWT; characters that change under base64 and URL encoding. */
  const TOKEN = `tokeninfo-${randomBytes(12).toString('hex')}.+/=`;
  let infos: string[];

  beforeEach(async () => {
    await resetState({ token: TOKEN });
    infos = [];
    for (const name of ['showInformationMessage', 'showWarningMessage', 'showErrorMessage'] as const) {
      sinon.stub(vscode.window, name).callsFake(((message: string) => {
        infos.push(message);
        return Promise.resolve(undefined);
      }) as never);
    }
  });
  afterEach(() => sinon.restore());

  it('Show Token Info: sub and aud of a JWT, "no expiry", never the token', async () => {
    await vscode.commands.executeCommand('d7otp.setToken', MOCK_TOKEN);
    const info = await vscode.commands.executeCommand<TokenInfo>('d7otp.showTokenInfo');
    assert.equal(info.isJwt, true);
    assert.equal(info.sub, '6b0c9d64-4c7e-4a34-9a8a-2f1f3c1d5e77');
    assert.equal(info.aud, 'auth-backend:app');
    assert.equal(info.expiresAt, undefined);
    assert.match(info.message, /no expiry/);
    const shown = infos.join('\n');
    assert.ok(shown.includes('6b0c9d64-4c7e-4a34-9a8a-2f1f3c1d5e77'), 'the message names the application');
    for (const part of MOCK_TOKEN.split('.')) {
      assert.ok(!shown.includes(part) && !JSON.stringify(info).includes(part), 'no part of the token is shown or returned');
    }
    assert.ok(!ctx().api.internals.logLines().join('\n').includes(MOCK_TOKEN), 'nor logged');
  });

  it('Show Token Info: an expiry as a date', async () => {
    const exp = Math.floor(Date.parse('2030-01-02T03:04:05Z') / 1000);
    const jwt = [
      Buffer.from('{"alg":"HS256","typ":"JWT"}').toString('base64url'),
      Buffer.from(JSON.stringify({ sub: 'app-123', aud: ['a', 'b'], exp })).toString('base64url'),
      'c2ln',
    ].join('.');
    await vscode.commands.executeCommand('d7otp.setToken', jwt);
    const info = await vscode.commands.executeCommand<TokenInfo>('d7otp.showTokenInfo');
    assert.equal(info.sub, 'app-123');
    assert.equal(info.aud, 'a, b');
    assert.equal(info.expiresAt, '2030-01-02T03:04:05.000Z');
    assert.equal(info.expired, false);
    assert.ok(!infos.join('\n').includes(jwt));
  });

  it('Show Token Info: a token that is not a JWT, and no token', async () => {
    const info = await vscode.commands.executeCommand<TokenInfo>('d7otp.showTokenInfo');
    assert.equal(info.hasToken, true);
    assert.equal(info.isJwt, false);
    assert.match(info.message, /not a JWT/);
    assert.ok(!infos.join('\n').includes(TOKEN));
    await vscode.commands.executeCommand('d7otp.clearToken');
    const none = await vscode.commands.executeCommand<TokenInfo>('d7otp.showTokenInfo');
    assert.equal(none.hasToken, false);
    assert.match(infos[infos.length - 1], /No D7 API token is set/);
  });
});
