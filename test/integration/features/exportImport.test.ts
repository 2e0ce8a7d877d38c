/**
 * Export and import (src/features/exportImport): Export History (JSON, CSV) and Import History (round trip,
 * duplicates, bad rows), a label through export and import, and the token: never in an export.
 */
import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as sinon from 'sinon';
import * as vscode from 'vscode';
import type { ExportResult, ImportResult } from '../../../src/features/exportImport/exportImportFeature';
import { startMockServer, type MockServer } from '../../mock/server';
import { SCENARIOS, UNKNOWN_ID, check, ctx, entryOf, resetState, storedHistory, useBaseUrl, type HistoryEntry } from '../helpers';

let dir: string;
before(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'd7otp-export-'));
});
after(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

function file(name: string): string {
  return path.join(dir, `${Date.now()}-${randomBytes(3).toString('hex')}-${name}`);
}

async function exportTo(format: 'json' | 'csv', target = file(`history.${format}`)): Promise<{ result: ExportResult; text: string }> {
  const result = await vscode.commands.executeCommand<ExportResult>('d7otp.history.export', { uri: target, format });
  assert.ok(result, 'export returned what it wrote');
  return { result, text: fs.readFileSync(target, 'utf8') };
}

async function importFrom(target: string): Promise<ImportResult> {
  const result = await vscode.commands.executeCommand<ImportResult>('d7otp.history.import', { uri: target });
  assert.ok(result, 'import returned its counts');
  return result;
}

/** Three otp_ids with a mix of outcomes, one of them labelled with text that needs CSV quoting and a guard. */
async function someHistory(): Promise<void> {
  await check(SCENARIOS.open);
  await check(SCENARIOS.open);
  await check(SCENARIOS.approved);
  await check(UNKNOWN_ID);
  await vscode.commands.executeCommand('d7otp.history.setLabel', SCENARIOS.approved, '=signup, "iPhone"\nsecond line');
}

// The CSV's columns, quoting and formula guard, the merge of an import (duplicates skipped) and a label that
// travels: test/unit/core/history/exportFormat.test.ts and importPlan.test.ts (issue 16, docs/TESTS.md).
describe('export history', () => {
  beforeEach(() => resetState());
  afterEach(() => sinon.restore());

  it('JSON: the whole history, every field', async () => {
    await someHistory();
    const { result, text } = await exportTo('json');
    const raw = JSON.parse(text) as { format: string; version: number; entries: HistoryEntry[] };
    assert.equal(raw.format, 'd7otp-history');
    assert.equal(raw.version, 1);
    assert.deepStrictEqual(raw.entries, ctx().api.getHistory());
    assert.equal(result.entries, 3);
    assert.equal(result.checks, 4);
    assert.equal(result.format, 'json');
  });

  it('asks for the format and the file when called without an argument', async () => {
    await check(SCENARIOS.open);
    const target = file('picked.csv');
    const pick = sinon
      .stub(vscode.window, 'showQuickPick')
      .callsFake((async (items: readonly vscode.QuickPickItem[]) => items.find((i) => i.label === 'CSV')) as never);
    const save = sinon.stub(vscode.window, 'showSaveDialog').resolves(vscode.Uri.file(target));
    sinon.stub(vscode.window, 'showInformationMessage').resolves(undefined);
    const result = await vscode.commands.executeCommand<ExportResult>('d7otp.history.export');
    assert.equal(pick.callCount, 1);
    assert.equal(save.callCount, 1);
    assert.equal(result?.format, 'csv');
    assert.match(fs.readFileSync(target, 'utf8'), /^otp_id,label,/);
  });
});

describe('import history', () => {
  beforeEach(() => resetState());
  afterEach(() => sinon.restore());

  it('round trip: export, clear, import gives the same history back', async () => {
    await someHistory();
    const before = ctx().api.getHistory();
    const target = file('roundtrip.json');
    await exportTo('json', target);
    await vscode.commands.executeCommand('d7otp.history.clear', { confirm: false });
    assert.equal(ctx().api.getHistory().length, 0);
    const result = await importFrom(target);
    assert.equal(result.ok, true);
    assert.equal(result.addedEntries, 3);
    assert.equal(result.addedChecks, 4);
    assert.equal(result.duplicates, 0);
    assert.equal(result.badRows, 0);
    assert.deepStrictEqual(ctx().api.getHistory(), before);
    assert.deepStrictEqual(await storedHistory(), before, 'stored');
  });

  it('reports bad rows (count and first reason), skips them, keeps the rest', async () => {
    await check(SCENARIOS.expired);
    const good = { otpId: SCENARIOS.open, checkedAt: '2026-11-20T10:00:00.000Z', ok: true, status: 'OPEN', httpStatus: 200, durationMs: 9 };
    const target = file('bad.json');
    fs.writeFileSync(
      target,
      JSON.stringify({
        version: 1,
        entries: [
          { otpId: SCENARIOS.open, label: 'from a colleague', checks: [good, { ...good, checkedAt: 'last tuesday' }] },
          { otpId: 'DROP TABLE', checks: [good] },
        ],
      }),
    );
    const warn = sinon.stub(vscode.window, 'showWarningMessage').resolves(undefined);
    const result = await importFrom(target);
    assert.equal(result.ok, true);
    assert.equal(result.badRows, 2);
    assert.equal(result.firstProblem, `entry 1 (${SCENARIOS.open}), check 2: checkedAt is not an ISO date`);
    assert.equal(result.addedEntries, 1);
    assert.equal(result.addedChecks, 1);
    assert.equal(entryOf(SCENARIOS.open).label, 'from a colleague');
    assert.equal(entryOf(SCENARIOS.expired).checks.length, 1, 'the existing entry is still there');
    assert.equal(warn.callCount, 1);
    assert.match(String(warn.firstCall.args[0]), /2 unreadable row\(s\) skipped; first: entry 1/);
  });

  it('refuses a file that is not an export, and changes nothing', async () => {
    await check(SCENARIOS.open);
    const before = ctx().api.getHistory();
    const error = sinon.stub(vscode.window, 'showErrorMessage').resolves(undefined);
    const target = file('not.json');
    fs.writeFileSync(target, 'otp_id,status\r\nx,OPEN\r\n');
    const result = await importFrom(target);
    assert.equal(result.ok, false);
    assert.match(result.message ?? '', /not JSON/);
    assert.equal(error.callCount, 1);
    assert.deepStrictEqual(ctx().api.getHistory(), before);
  });

  it('asks for the file when called without an argument', async () => {
    await check(SCENARIOS.open);
    const target = file('picked.json');
    await exportTo('json', target);
    await vscode.commands.executeCommand('d7otp.history.clear', { confirm: false });
    const open = sinon.stub(vscode.window, 'showOpenDialog').resolves([vscode.Uri.file(target)]);
    sinon.stub(vscode.window, 'showInformationMessage').resolves(undefined);
    const result = await vscode.commands.executeCommand<ImportResult>('d7otp.history.import');
    assert.equal(open.callCount, 1);
    assert.equal(result?.addedEntries, 1);
  });
});

describe('the token: never in an export', () => {
  const TOKEN = `export-${randomBytes(12).toString('hex')}.+/=`;
  const forms = (token: string) => [
    token,
    encodeURIComponent(token),
    Buffer.from(token).toString('base64'),
    Buffer.from(token).toString('base64url'),
    Buffer.from(`Bearer ${token}`).toString('base64'),
  ];
  let secretMock: MockServer;

  before(async () => {
    secretMock = await startMockServer({ token: TOKEN });
  });
  after(async () => {
    await secretMock?.close();
  });
  beforeEach(async () => {
    await resetState({ token: TOKEN });
    await useBaseUrl(secretMock.url, TOKEN);
    for (const name of ['showInformationMessage', 'showWarningMessage', 'showErrorMessage'] as const) sinon.stub(vscode.window, name).resolves(undefined);
  });
  afterEach(() => sinon.restore());

  it('exports (JSON and CSV) contain no form of a unique token that was really used', async () => {
    for (const id of [SCENARIOS.open, SCENARIOS.approved, UNKNOWN_ID]) await check(id);
    assert.ok(secretMock.requests.length >= 3 && secretMock.requests.every((r) => r.headers.authorization === `Bearer ${TOKEN}`), 'the token was sent');
    for (const format of ['json', 'csv'] as const) {
      const { text } = await exportTo(format);
      for (const form of forms(TOKEN)) assert.ok(!text.includes(form), `the token (${form.slice(0, 12)}…) appears in the ${format} export`);
    }
  });

  it('even a token pasted into a label is replaced in the export', async () => {
    await check(SCENARIOS.open);
    await vscode.commands.executeCommand('d7otp.history.setLabel', SCENARIOS.open, `oops ${TOKEN}`);
    for (const format of ['json', 'csv'] as const) {
      const { text } = await exportTo(format);
      assert.ok(!text.includes(TOKEN), `not in the ${format} export`);
      assert.ok(text.includes('oops ***'), `replaced by *** in the ${format} export`);
    }
  });
});
