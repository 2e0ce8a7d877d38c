/**
 * Issue 11 ("Trust at the edges") in the extension host: the mock's hostile-server modes and hostile files through
 * the real commands, and what a person would see — every message one inert line (no link a notification would
 * render, no `$(icon)`), no token in anything the extension keeps or shows, the tree whole. Titles carry the item
 * numbers of the issue (docs/RELIABILITY.md lists them).
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as sinon from 'sinon';
import * as vscode from 'vscode';
import { COMMAND_LINK } from '../mock/hostile';
import { startMockServer, type MockServer } from '../mock/server';
import {
  HISTORY_KEY,
  MOCK_TOKEN,
  SCENARIOS,
  asOtpId,
  assertInertMessage,
  captureMessages,
  check,
  ctx,
  historyFiles,
  item,
  resetState,
  restoreSettings,
  rootNode,
  setUserSetting,
  waitFor,
  walk,
  type Captured,
  type StatusCheck,
} from './helpers';

const PARAMS = { recipient: '+971501234567', originator: 'SignOTP', content: 'Your code is {}', confirm: false };
/** A second profile's token: the mock never accepts it, but it must be redacted wherever it shows up. */
const STAGING_TOKEN = 'eyJhbGciOiJIUzI1NiJ9.c3RhZ2luZy1wcm9maWxl.c2lnbmF0dXJlLXN0YWdpbmc';

function assertAllInert(captured: Captured[]): void {
  for (const message of captured) assertInertMessage(message.text, `${message.kind} message`);
}

describe('hostile servers and files, through the commands (issue 11)', function () {
  this.timeout(60_000);
  let captured: Captured[];
  let staging: MockServer | undefined;

  beforeEach(async () => {
    await resetState();
    await setUserSetting('send.watchAfterSend', false);
    captured = captureMessages();
  });

  afterEach(async () => {
    sinon.restore();
    ctx().mock.setHostile(undefined);
    ctx().api.internals.watches.stopAll();
    if ((await vscode.commands.executeCommand<boolean>('d7otp.switchProfile', 'default')) !== true) assert.fail('back to the default profile');
    await setUserSetting('profiles', []);
    await staging?.close();
    staging = undefined;
    await restoreSettings();
  });

  it('11.1: a Send answered with a command link for an otp_id: a bad response, nothing filed, every message inert', async () => {
    ctx().mock.setHostile('linkOtpId');
    const sent = await vscode.commands.executeCommand<StatusCheck>('d7otp.sendOtp', PARAMS);
    assert.deepEqual([sent?.ok, sent?.otpId, sent?.error?.kind], [false, '', 'bad-response']);
    assert.equal(ctx().api.getHistory().length, 0, 'no entry named after the link');
    await waitFor(() => captured.length > 0, 'the failure to be explained');
    assertAllInert(captured);
    assert.ok(!captured.some((m) => m.text.includes('](command:')), JSON.stringify(captured));
  });

  it('11.1: a Resend answered with a command link: recorded on the original as a bad response, no new entry, inert', async () => {
    const sent = await vscode.commands.executeCommand<StatusCheck>('d7otp.sendOtp', PARAMS);
    assert.ok(sent?.ok && sent.otpId);
    ctx().mock.advanceClock(61);
    ctx().mock.setHostile('linkOtpId');
    const resent = await vscode.commands.executeCommand<StatusCheck>('d7otp.resendOtp', sent.otpId);
    assert.deepEqual([resent?.otpId, resent?.error?.kind], [sent.otpId, 'bad-response']);
    assert.deepEqual(
      ctx()
        .api.getHistory()
        .map((e) => e.otpId),
      [sent.otpId],
    );
    assertAllInert(captured);
  });

  it('11.2: an import file named like a command link: the refusal names the file, inert; nothing imported', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'd7otp-11-2-'));
    const file = path.join(dir, '[Repair](command:d7otp.clearToken).json');
    fs.writeFileSync(file, '{"not": "an export"}');
    try {
      const result = await vscode.commands.executeCommand<{ ok: boolean; message?: string }>('d7otp.history.import', { uri: file });
      assert.equal(result?.ok, false);
      assertInertMessage(result?.message ?? '', 'the refusal');
      assert.ok(!(result?.message ?? '').includes('](command:'), result?.message);
      assert.match(result?.message ?? '', /Repair\] \(command:d7otp\.clearToken\)\.json/, 'the name is still shown, made inert');
      assertAllInert(captured);
      assert.equal(await vscode.commands.executeCommand('d7otp.setToken', MOCK_TOKEN), true, 'the token is still there to replace');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("11.5: a token echoed in bodies (this profile's and another's) is nowhere: history, storage, Copy JSON, Open as JSON, exports", async () => {
    staging = await startMockServer();
    await setUserSetting('profiles', [{ name: 'staging', baseUrl: staging.url }]);
    await waitFor(
      () =>
        ctx()
          .api.internals.profiles.list()
          .some((p) => p.name === 'staging'),
      'the staging profile',
    );
    assert.equal(await vscode.commands.executeCommand('d7otp.addProfile', { name: 'staging2', baseUrl: staging.url, token: STAGING_TOKEN }), true);
    ctx().mock.setHostile('echoToken', [STAGING_TOKEN]);
    const ok = await check(SCENARIOS.open);
    assert.equal(ok.ok, true);
    ctx().mock.setHostile('echoTokenRejected', [STAGING_TOKEN]);
    await check(SCENARIOS.approved);
    await ctx().api.internals.history.flush();
    await vscode.commands.executeCommand('d7otp.history.copyJson', SCENARIOS.open);
    const clipboard = await vscode.env.clipboard.readText();
    const uri = await vscode.commands.executeCommand<vscode.Uri>('d7otp.history.openJson', SCENARIOS.open);
    const document = (await vscode.workspace.openTextDocument(uri as vscode.Uri)).getText();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'd7otp-11-5-'));
    await vscode.commands.executeCommand('d7otp.history.export', { uri: path.join(dir, 'h.json'), format: 'json' });
    await vscode.commands.executeCommand('d7otp.history.export', { uri: path.join(dir, 'h.csv'), format: 'csv' });
    const evidence = {
      history: JSON.stringify(ctx().api.getHistory()),
      stored: JSON.stringify([ctx().api.internals.globalState.get(HISTORY_KEY) ?? null, historyFiles()]), // the synced copy, the files
      clipboard,
      document,
      json: fs.readFileSync(path.join(dir, 'h.json'), 'utf8'),
      csv: fs.readFileSync(path.join(dir, 'h.csv'), 'utf8'),
      messages: JSON.stringify(captured),
      log: ctx().api.internals.logLines().join('\n'),
    };
    fs.rmSync(dir, { recursive: true, force: true });
    assert.match(evidence.clipboard, /Bearer \*\*\*/, 'the echo is there, redacted');
    for (const [where, text] of Object.entries(evidence)) {
      assert.ok(!text.includes(MOCK_TOKEN), `11.5: the active profile's token is not in ${where}`);
      assert.ok(!text.includes(STAGING_TOKEN), `11.5: another profile's token is not in ${where}`);
    }
    await vscode.commands.executeCommand('d7otp.removeProfile', 'staging2');
  });

  it("11.6: a profile's token is bound to its origin: a new profile of the same name on another host does not get it", async () => {
    staging = await startMockServer({ token: 'staging-token-0123456789' });
    assert.equal(await vscode.commands.executeCommand('d7otp.addProfile', { name: 'stage', baseUrl: staging.url, token: 'staging-token-0123456789' }), true);
    // The profile disappears from the settings without its token being removed (a hand edit, another machine)…
    await setUserSetting('profiles', []);
    const other = await startMockServer({ token: 'staging-token-0123456789' });
    try {
      // …and a profile of that name comes back, pointing at another host.
      await setUserSetting('profiles', [{ name: 'stage', baseUrl: other.url }]);
      await waitFor(
        () =>
          ctx()
            .api.internals.profiles.list()
            .some((p) => p.name === 'stage' && p.baseUrl === other.url),
        'the new profile',
      );
      assert.equal(await vscode.commands.executeCommand('d7otp.switchProfile', 'stage'), true);
      const result = await check(SCENARIOS.open);
      assert.deepEqual([result.ok, result.error?.kind, result.error?.messageId], [false, 'config', 'tokenForOtherOrigin']);
      assert.equal(other.requests.length, 0, 'the other host never saw the token');
      // Adding a profile through the command clears a secret left under its name for another host.
      await setUserSetting('profiles', []);
      assert.equal(await vscode.commands.executeCommand('d7otp.addProfile', { name: 'stage', baseUrl: other.url }), true);
      assert.equal(await vscode.commands.executeCommand('d7otp.switchProfile', 'stage'), true);
      assert.equal((await check(SCENARIOS.open)).error?.messageId, 'noToken', 'the stale secret is gone');
    } finally {
      await other.close();
    }
  });

  it('11.7: one stored check with wrong-typed fields is set aside; the other entries still show in the tree', async () => {
    await check(SCENARIOS.open);
    await ctx().api.internals.history.flush();
    const stored = ctx().api.internals.globalState.get<{ entries: unknown[] }>(HISTORY_KEY);
    const bad = {
      otpId: SCENARIOS.failed,
      checks: [
        { otpId: SCENARIOS.failed, checkedAt: new Date().toISOString(), ok: false, durationMs: 1, error: { kind: 42, code: 7, message: 'x', issues: 'abc' } },
      ],
    };
    await ctx().api.internals.globalState.update(HISTORY_KEY, { version: 1, entries: [bad, ...(stored?.entries ?? [])] });
    await ctx().api.internals.history.reload();
    const rows = await walk();
    assert.ok(
      rows.some(([node]) => (node as { entry?: { otpId: string } }).entry?.otpId === SCENARIOS.open),
      'the good entry is shown',
    );
    assert.ok(!rows.some(([, treeItem]) => treeItem.contextValue === 'message'), 'no error row instead of the history');
  });

  it('11.8: colliding body keys and repeated 422 locs give no duplicate tree id (VS Code would throw on the view)', async () => {
    ctx().mock.setHostile('collidingKeys');
    await check(SCENARIOS.open);
    const rows = await walk(await rootNode(SCENARIOS.open));
    const ids = rows.map(([, treeItem]) => treeItem.id);
    assert.ok(ids.length > 8, `${ids.length} rows`);
    assert.equal(new Set(ids).size, ids.length, JSON.stringify(ids));
  });

  it('11.12: a body value with an indented fence cannot close the tooltip code block', async () => {
    await check(SCENARIOS.open);
    const entry = ctx().api.getHistory()[0];
    // A check of its own (a millisecond later): the history merges by otp_id and check time, and keeps the row it has.
    const checkedAt = new Date(Date.parse(entry.checks[0].checkedAt) + 1).toISOString();
    const hostile = { ...entry.checks[0], checkedAt, body: { status: 'OPEN', note: `ok\n   \`\`\`\n${COMMAND_LINK}\n<img src=x onerror=alert(1)>` } };
    await ctx().api.internals.globalState.update(HISTORY_KEY, { version: 1, entries: [{ ...entry, checks: [hostile] }] });
    await ctx().api.internals.history.reload();
    const rows = await walk(await rootNode(SCENARIOS.open));
    const note = rows.find(([, treeItem]) => treeItem.label === 'note');
    assert.ok(note);
    const tooltip = (await item(note[0])).tooltip as vscode.MarkdownString;
    const fences = tooltip.value.match(/^ {0,3}`{3,}/gm) ?? [];
    assert.equal(fences.length, 3, 'the block opens, the indented fence inside it, the block closes');
    assert.ok(fences[0].trim().length > 3 && fences[2].trim().length > 3, "the block's own fence is longer than the value's");
    assert.equal(tooltip.isTrusted, false);
  });

  it("11.13: Show Token Info shows a JWT's claims inert (a sub made to be a link is not one)", async () => {
    const payload = Buffer.from(JSON.stringify({ sub: COMMAND_LINK, aud: ['$(alert) x', '\u202eevil'] })).toString('base64url');
    assert.equal(await vscode.commands.executeCommand('d7otp.setToken', `eyJhbGciOiJIUzI1NiJ9.${payload}.sig`), true);
    const info = await vscode.commands.executeCommand<{ message: string; sub?: string }>('d7otp.showTokenInfo');
    assert.ok(info);
    assertInertMessage(info.message, 'the token info message');
    assert.ok(!info.message.includes('](command:') && !info.message.includes('$(alert)'), info.message);
    assertAllInert(captured);
  });

  it("11.16: a setting left at its default reads the extension's own constant, not a defaultValue another extension contributed", () => {
    const real = vscode.workspace.getConfiguration;
    sinon.stub(vscode.workspace, 'getConfiguration').callsFake((section?: string, scope?: vscode.ConfigurationScope | null) => {
      const configuration = real(section, scope);
      const inspect = <T>(key: string) => {
        const found = configuration.inspect<T>(key);
        return (
          found && {
            ...found,
            defaultValue: (key === 'requestTimeoutSeconds' ? 299 : found.defaultValue) as T,
            globalValue: key === 'requestTimeoutSeconds' ? undefined : found.globalValue,
          }
        );
      };
      return { ...configuration, inspect } as vscode.WorkspaceConfiguration;
    });
    assert.equal(ctx().api.internals.config.requestTimeoutMs, 15_000, 'the project constant (15 s), not the contributed 299 s');
  });

  it('11.18: another window switching the profile is seen here; a watch and Check Again keep the profile the entry was checked with', async () => {
    staging = await startMockServer();
    await setUserSetting('profiles', [{ name: 'staging', baseUrl: staging.url }]);
    await waitFor(
      () =>
        ctx()
          .api.internals.profiles.list()
          .some((p) => p.name === 'staging'),
      'the staging profile',
    );
    await check(SCENARIOS.turnsApproved); // checked with the default profile
    let changes = 0;
    const listener = ctx().api.internals.profiles.onDidChange(() => changes++);
    try {
      // Another window switches (the choice is shared through globalState); this window is told on its next use.
      await ctx().api.internals.globalState.update('d7otp.activeProfile', 'staging');
      assert.equal(ctx().api.internals.profiles.active().name, 'staging');
      await waitFor(() => changes > 0, 'this window to hear of the switch');
    } finally {
      listener.dispose();
    }
    const before = ctx().mock.requests.length;
    const again = await vscode.commands.executeCommand<StatusCheck>('d7otp.history.checkAgain', SCENARIOS.turnsApproved);
    assert.equal(again?.profile, 'default', "Check Again uses the entry's profile");
    assert.equal(ctx().mock.requests.length, before + 1, "it went to the default profile's host");
    assert.equal(staging.requests.length, 0, 'not to the active one');
    assert.equal(await vscode.commands.executeCommand('d7otp.watchStatus', SCENARIOS.turnsApproved), true);
    await waitFor(() => ctx().api.internals.watches.count === 0, 'the watch to end', 15_000);
    assert.equal(staging.requests.length, 0, "every poll went to the entry's own profile");
    assert.ok(ctx().api.internals.watches.get(asOtpId(SCENARIOS.turnsApproved)) === undefined);
  });
});
