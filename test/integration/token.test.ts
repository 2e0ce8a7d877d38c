/**
 * D7 OTP: Set API Token / Clear API Token with the token as argument (no password box).
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
import * as vscode from 'vscode';
import { MOCK_TOKEN, SCENARIOS, check, ctx, resetState } from './helpers';

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

  it('a pasted "Bearer <token>" is stored without the prefix', async () => {
    assert.equal(await setToken(`Bearer ${MOCK_TOKEN}`), true);
    const result = await check(SCENARIOS.open);
    assert.equal(result.ok, true, result.error?.message);
    assert.equal(ctx().mock.requests[0].headers.authorization, `Bearer ${MOCK_TOKEN}`, 'not "Bearer Bearer …"');
  });

  it('surrounding whitespace and a lower-case "bearer" prefix are stripped too', async () => {
    assert.equal(await setToken(`  bearer   ${MOCK_TOKEN}\n`), true);
    assert.equal((await check(SCENARIOS.open)).ok, true);
    assert.equal(ctx().mock.requests[0].headers.authorization, `Bearer ${MOCK_TOKEN}`);
  });

  for (const invalid of ['Bearer ', 'a\nb', '', '   ', 'with space', 'tab\there', 'tök€n']) {
    it(`refuses ${JSON.stringify(invalid)} and stores nothing (no token before)`, async () => {
      assert.equal(await setToken(invalid), false, 'setToken returns false when refused');
      const result = await check(SCENARIOS.open);
      assert.equal(result.error?.kind, 'config', 'still no token');
      assert.equal(ctx().mock.requests.length, 0);
    });
  }

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
