/**
 * Send, resend and verify (src/features/verify) through their commands and the API against the mock: the records,
 * the timeline and resend links in the tree, the messages shown, and a watch after a send.
 */
import * as assert from 'node:assert/strict';
import * as sinon from 'sinon';
import * as vscode from 'vscode';
import { buildTimeline } from '../../../src/core/timeline';
import type { StatusCheck } from '../../../src/core/check';
import { children, ctx, entryOf, item, labelOf, resetState, restoreSettings, rootNode, setUserSetting } from '../helpers';

const PARAMS = { recipient: '+971501234567', originator: 'SignOTP', content: 'Your code is {}', confirm: false };

async function send(): Promise<StatusCheck> {
  const sent = await vscode.commands.executeCommand<StatusCheck>('d7otp.sendOtp', PARAMS);
  assert.ok(sent?.ok, JSON.stringify(sent?.error));
  return sent;
}

describe('Send, resend and verify (in the extension host)', () => {
  let messages: string[];
  beforeEach(async () => {
    await resetState();
    await setUserSetting('send.watchAfterSend', false);
    messages = [];
    const capture = (message: string) => {
      messages.push(message);
      return Promise.resolve(undefined);
    };
    sinon.stub(vscode.window, 'showInformationMessage').callsFake(capture);
    sinon.stub(vscode.window, 'showWarningMessage').callsFake(capture);
    sinon.stub(vscode.window, 'showErrorMessage').callsFake(capture);
  });
  afterEach(async () => {
    ctx().api.internals.watches.stopAll();
    sinon.restore();
    await restoreSettings();
  });

  it('sends an OTP, records it OPEN with its expiry, then verifies the code: APPROVED in the timeline', async () => {
    const { mock } = ctx();
    const sent = await send();
    assert.equal(sent.operation, 'send');
    assert.equal(sent.status, 'OPEN');
    assert.equal((sent.body as { expiry: number }).expiry, 600);
    assert.deepEqual(JSON.parse(mock.requests[0].body), { recipient: PARAMS.recipient, originator: PARAMS.originator, content: PARAMS.content });
    const code = mock.codeOf(sent.otpId);
    assert.ok(code);
    const verified = await vscode.commands.executeCommand<StatusCheck>('d7otp.verifyOtp', sent.otpId, code);
    assert.equal(verified?.status, 'APPROVED');
    const again = await vscode.commands.executeCommand<StatusCheck>('d7otp.history.verify', { otpId: sent.otpId }, code);
    assert.equal(again?.status, 'ALREADY_VERIFIED');
    const entry = entryOf(sent.otpId);
    assert.deepEqual(
      buildTimeline(entry).map((s) => s.label),
      ['OPEN', 'APPROVED', 'ALREADY_VERIFIED'],
    );
    const rows = await children(await rootNode(sent.otpId));
    const timeline = await item(rows[0]);
    assert.equal(labelOf(timeline), 'Timeline');
    assert.match(String(timeline.description), /^OPEN \d\d:\d\d:\d\d → APPROVED \d\d:\d\d:\d\d \(\d+ s\) → ALREADY_VERIFIED/);
  });

  it("records a wrong code as INVALID_OTP_CODE in the timeline, with D7's message shown", async () => {
    const { mock } = ctx();
    const sent = await send();
    const wrong = mock.codeOf(sent.otpId) === '123456' ? '654321' : '123456';
    const result = await vscode.commands.executeCommand<StatusCheck>('d7otp.verifyOtp', sent.otpId, wrong);
    assert.equal(result?.error?.code, 'INVALID_OTP_CODE');
    assert.equal(result?.httpStatus, 400);
    assert.deepEqual(
      buildTimeline(entryOf(sent.otpId)).map((s) => s.label),
      ['OPEN', 'INVALID_OTP_CODE'],
    );
    assert.ok(
      messages.some((m) => m.includes('Invalid OTP code or OTP code expired')),
      JSON.stringify(messages),
    );
  });

  it('shows a too-early resend as D7 wrote it, with the time left; a later resend links the new otp_id', async () => {
    const { mock } = ctx();
    const sent = await send();
    const early = await vscode.commands.executeCommand<StatusCheck>('d7otp.resendOtp', sent.otpId);
    assert.equal(early?.httpStatus, 400);
    assert.match(early?.error?.message ?? '', /minimum 60 seconds delay/);
    assert.match(early?.error?.message ?? '', /delay\. A resend is allowed again in (\d+ s|1 min)\.$/);
    mock.advanceClock(61);
    const resent = await vscode.commands.executeCommand<StatusCheck>('d7otp.history.resend', { otpId: sent.otpId });
    assert.ok(resent?.ok, JSON.stringify(resent?.error));
    assert.notEqual(resent.otpId.toLowerCase(), sent.otpId.toLowerCase());
    assert.equal(entryOf(resent.otpId).resendOf, sent.otpId);
    assert.equal(entryOf(sent.otpId).checks[0].operation, 'resend');
    const originalRows = await Promise.all((await children(await rootNode(sent.otpId))).map(item));
    assert.ok(originalRows.some((r) => labelOf(r) === 'Resent as' && r.description === resent.otpId));
    const newRows = await Promise.all((await children(await rootNode(resent.otpId))).map(item));
    assert.ok(newRows.some((r) => labelOf(r) === 'Resent from' && r.description === sent.otpId));
    // The new code verifies the new id.
    const code = mock.codeOf(resent.otpId);
    assert.equal((await ctx().api.verifyOtp(resent.otpId, code ?? '')).status, 'APPROVED');
  });

  it('watches a sent OTP when the setting is on', async () => {
    const { api } = ctx();
    await setUserSetting('send.watchAfterSend', true);
    const sent = await send();
    assert.ok(sent.otpId && api.internals.watches.get(sent.otpId), 'watched after send');
  });

  it('the API calls never reject and say what was wrong', async () => {
    const { api } = ctx();
    assert.equal((await api.verifyOtp('not-an-id', '1234')).error?.kind, 'config');
    assert.equal((await api.resendOtp('aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee')).error?.kind, 'not-found');
    const refused = await api.sendOtp({ recipient: 'x', originator: '' });
    assert.equal(refused.httpStatus, 422);
    assert.equal(refused.error?.kind, 'validation');
  });
});
