/**
 * Open as JSON (src/features/history/historyDocument.ts): one history entry as a read-only JSON document of the
 * `d7otp-history` scheme, every check with every field and the timeline, refreshed as the entry changes.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { SCENARIOS, check, closeEditors, entryOf, resetState, waitFor, type StatusCheck } from '../helpers';

describe('Open as JSON', () => {
  beforeEach(() => resetState());
  afterEach(closeEditors);

  async function openRecord(otpId: string): Promise<vscode.TextDocument> {
    const uri = await vscode.commands.executeCommand<vscode.Uri>('d7otp.history.openJson', otpId);
    assert.ok(uri, 'the command returns the URI');
    assert.equal(uri.scheme, 'd7otp-history');
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    assert.ok(doc, 'the document is open');
    assert.equal(doc.languageId, 'json');
    assert.equal(vscode.window.activeTextEditor?.document.uri.toString(), uri.toString(), 'and shown');
    return doc;
  }

  it('holds every check with every field, and the timeline', async () => {
    const otpId = SCENARIOS.turnsApproved;
    await check(otpId);
    await check(otpId);
    const approved = await check(otpId);
    assert.equal(approved.status, 'APPROVED');
    await vscode.commands.executeCommand('d7otp.history.setLabel', otpId, 'signup');
    const record = JSON.parse((await openRecord(otpId)).getText()) as {
      otpId: string;
      label: string;
      checks: StatusCheck[];
      timeline: { label: string; count: number; sinceMs?: number }[];
    };
    assert.equal(record.otpId, otpId);
    assert.equal(record.label, 'signup');
    assert.deepStrictEqual(record.checks, entryOf(otpId).checks, 'every check exactly as stored');
    assert.deepStrictEqual(
      record.timeline.map((s) => [s.label, s.count]),
      [
        ['OPEN', 2],
        ['APPROVED', 1],
      ],
    );
    assert.equal(typeof record.timeline[1].sinceMs, 'number');
  });

  it('refreshes when the entry changes', async () => {
    const otpId = SCENARIOS.open;
    await check(otpId);
    const doc = await openRecord(otpId);
    assert.equal((JSON.parse(doc.getText()) as { checks: unknown[] }).checks.length, 1);
    await check(otpId);
    await waitFor(() => (JSON.parse(doc.getText()) as { checks: unknown[] }).checks.length === 2, 'the document to show the second check');
    await vscode.commands.executeCommand('d7otp.history.remove', otpId);
    await waitFor(() => (JSON.parse(doc.getText()) as { inHistory?: boolean }).inHistory === false, 'the document to say the entry is gone');
  });
});
