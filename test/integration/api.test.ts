/**
 * The public API that `activate()` returns, used the way another extension would:
 * `checkStatus(otpId)` (resolves, never rejects, with the recorded check), `getHistory()` (newest first) and
 * `onDidChangeHistory`.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { EXTENSION_ID, SCENARIOS, assertRecorded, assertWellFormed, ctx, resetState, type TestApi } from './helpers';

describe('public API', () => {
  beforeEach(() => resetState());

  it('activate() returns the same API object to every caller, quickly', async () => {
    const ext = vscode.extensions.getExtension<TestApi>(EXTENSION_ID);
    assert.ok(ext?.isActive);
    assert.equal(ext.exports, ctx().api);
    assert.equal(await ext.activate(), ctx().api);
    assert.equal(typeof ctx().api.getHistory, 'function');
    assert.equal(typeof ctx().api.onDidChangeHistory, 'function');
    const ms = ctx().api.internals.activationMs;
    assert.ok(ms >= 0 && ms < 1000, `activate() took ${ms} ms`);
  });

  it('checkStatus resolves with the recorded check, like the command', async () => {
    const startedAt = Date.now();
    const result = await ctx().api.checkStatus(SCENARIOS.approved);
    assertWellFormed(result, SCENARIOS.approved, startedAt);
    assert.equal(result.ok, true);
    assert.equal(result.status, 'APPROVED');
    assert.equal(result.httpStatus, 200);
    assertRecorded(result);
    assert.equal(ctx().mock.requests.length, 1);
  });

  // Every other input another extension could pass: test/unit/features/lookup/lookupRules.test.ts.
  for (const bad of [undefined]) {
    it(`checkStatus(${JSON.stringify(bad) ?? 'undefined'}) resolves with kind config and records nothing`, async () => {
      const result = await ctx().api.checkStatus(bad as unknown as string);
      assert.equal(result.ok, false);
      assert.equal(result.error?.kind, 'config');
      assert.equal(typeof result.error?.message, 'string');
      assert.equal(ctx().api.getHistory().length, 0);
      assert.equal(ctx().mock.requests.length, 0);
    });
  }

  it('checkStatus without a token resolves with "No API token set" and asks nothing', async () => {
    await vscode.commands.executeCommand('d7otp.clearToken');
    const result = await ctx().api.checkStatus(SCENARIOS.open);
    assert.equal(result.error?.kind, 'config');
    assert.match(result.error?.message ?? '', /No API token set/);
  });

  it('onDidChangeHistory fires for a check, a removal and a clear; disposing the listener stops it', async () => {
    let fired = 0;
    const subscription = ctx().api.onDidChangeHistory(() => fired++);
    try {
      await ctx().api.checkStatus(SCENARIOS.open);
      assert.equal(fired, 1, 'after a check');
      await vscode.commands.executeCommand('d7otp.history.remove', SCENARIOS.open);
      assert.equal(fired, 2, 'after a removal');
      await ctx().api.checkStatus(SCENARIOS.open);
      await vscode.commands.executeCommand('d7otp.history.clear', { confirm: false });
      assert.equal(fired, 4, 'after a clear');
    } finally {
      subscription.dispose();
    }
    await ctx().api.checkStatus(SCENARIOS.open);
    assert.equal(fired, 4, 'not after dispose');
  });

  it('the history is already updated when onDidChangeHistory fires', async () => {
    const seen: string[][] = [];
    const subscription = ctx().api.onDidChangeHistory(() =>
      seen.push(
        ctx()
          .api.getHistory()
          .map((e) => e.otpId),
      ),
    );
    try {
      await ctx().api.checkStatus(SCENARIOS.failed);
    } finally {
      subscription.dispose();
    }
    assert.deepStrictEqual(seen, [[SCENARIOS.failed]]);
  });
});
