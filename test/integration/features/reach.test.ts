/**
 * Issue 14, "Reach": from wherever an otp_id shows up to its live status — the terminal link provider on a real
 * integrated terminal, the URI handler as VS Code calls it, the agent tools through `vscode.lm.invokeTool` (the
 * billable ones behind the confirmation they prepare for VS Code), and an entry copied as curl,
 * as Markdown for a bug report and as a link.
 */
import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import * as sinon from 'sinon';
import * as vscode from 'vscode';
import {
  MOCK_TOKEN,
  SCENARIOS,
  UNKNOWN_ID,
  captureMessages,
  check,
  ctx,
  entryOf,
  restoreSettings,
  resetState,
  rootNode,
  setSetting,
  setUserSetting,
  waitFor,
  type StatusCheck,
} from '../helpers';

const EXTENSION = 'd7-otp-inspector.d7-otp-inspector';
const link = (path: string, query: string) => vscode.Uri.from({ scheme: vscode.env.uriScheme, authority: EXTENSION, path, query });

/** The JSON a tool answered. */
async function invoke(name: string, input: object, token?: vscode.CancellationToken): Promise<Record<string, unknown>> {
  const lm = vscode.lm as unknown as {
    invokeTool(name: string, options: object, token?: vscode.CancellationToken): Thenable<{ content: { value?: string }[] }>;
  };
  const result = await lm.invokeTool(name, { input, toolInvocationToken: undefined }, token);
  const text = result.content.map((part) => part.value ?? '').join('');
  return JSON.parse(text) as Record<string, unknown>;
}

describe('reach: terminal links', () => {
  beforeEach(() => resetState());
  afterEach(() => sinon.restore());

  it('finds each otp_id of a real terminal line, and its quick pick checks the status (recorded)', async function () {
    this.timeout(30_000);
    const terminal = vscode.window.createTerminal({ name: 'd7otp test' });
    try {
      const line = `[auth] sign-in failed: otp_id=${SCENARIOS.approved} (resent as ${SCENARIOS.open}) x${UNKNOWN_ID}`;
      const links = ctx().api.internals.terminal.provideTerminalLinks({ line, terminal });
      assert.deepEqual(
        links.map((l) => line.slice(l.startIndex, l.startIndex + l.length)),
        [SCENARIOS.approved, SCENARIOS.open],
        'two links, none for an id glued to other text',
      );
      const picked: string[] = [];
      sinon.stub(vscode.window, 'showQuickPick').callsFake(async (items: unknown) => {
        const list = (await items) as { label: string; action: string }[];
        picked.push(...list.map((i) => i.label));
        return list.find((i) => i.action === 'check') as never;
      });
      assert.equal(await ctx().api.internals.terminal.pick(links[0]), 'check');
      assert.ok(
        picked.some((l) => l.includes('Check Status')) && picked.some((l) => l.includes('Watch Status')) && picked.some((l) => l.includes('Copy otp_id')),
        picked.join(),
      );
      assert.equal(entryOf(SCENARIOS.approved).checks[0].status, 'APPROVED');
      assert.equal(ctx().mock.requests.length, 1, 'one request, made when the action was picked');
    } finally {
      terminal.dispose();
    }
  });

  it('offers Show in History and Stop Watching when they apply; copy puts the id on the clipboard', async () => {
    await check(SCENARIOS.open);
    const internals = ctx().api.internals;
    internals.watches.watch(SCENARIOS.open);
    try {
      const [found] = internals.terminal.provideTerminalLinks({ line: SCENARIOS.open, terminal: undefined as never });
      let labels: string[] = [];
      sinon.stub(vscode.window, 'showQuickPick').callsFake(async (items: unknown) => {
        const list = (await items) as { label: string; action: string }[];
        labels = list.map((i) => i.label);
        return list.find((i) => i.action === 'copy') as never;
      });
      await vscode.env.clipboard.writeText('before');
      assert.equal(await internals.terminal.pick(found), 'copy');
      assert.equal(await vscode.env.clipboard.readText(), SCENARIOS.open);
      assert.ok(labels.some((l) => l.includes('Stop Watching')) && labels.some((l) => l.includes('Show in History')), labels.join());
      assert.ok(!labels.some((l) => l.includes('Watch Status')));
    } finally {
      internals.watches.stopAll();
    }
  });

  it('d7otp.terminal.links false: no links; Watch Status from a link starts a watch', async () => {
    const internals = ctx().api.internals;
    const line = `otp_id=${SCENARIOS.open}`;
    try {
      await setUserSetting('terminal.links', false);
      assert.deepEqual(internals.terminal.provideTerminalLinks({ line, terminal: undefined as never }), []);
    } finally {
      await restoreSettings();
    }
    const [found] = internals.terminal.provideTerminalLinks({ line, terminal: undefined as never });
    sinon
      .stub(vscode.window, 'showQuickPick')
      .callsFake(async (items: unknown) => ((await items) as { action: string }[]).find((i) => i.action === 'watch') as never);
    try {
      assert.equal(await internals.terminal.pick(found), 'watch');
      assert.ok(internals.watches.get(found.otpId), 'watching');
      await waitFor(
        () =>
          ctx()
            .api.getHistory()
            .some((e) => e.otpId === SCENARIOS.open),
        'the first poll recorded',
      );
    } finally {
      internals.watches.stopAll();
    }
  });

  it('dismissing the quick pick does nothing', async () => {
    sinon.stub(vscode.window, 'showQuickPick').resolves(undefined);
    const [found] = ctx().api.internals.terminal.provideTerminalLinks({ line: `id ${SCENARIOS.failed}`, terminal: undefined as never });
    assert.equal(await ctx().api.internals.terminal.pick(found), undefined);
    assert.equal(ctx().mock.requests.length, 0);
  });
});

describe('reach: links (URI handler)', () => {
  beforeEach(() => resetState());
  afterEach(() => sinon.restore());

  it('/check?otp_id= checks the id, records it and shows it in the view', async () => {
    const result = await ctx().api.internals.links.open(link('/check', `otp_id=${SCENARIOS.expired}`));
    assert.equal(result?.status, 'EXPIRED');
    assert.equal(entryOf(SCENARIOS.expired).checks[0].status, 'EXPIRED');
    assert.ok(await rootNode(SCENARIOS.expired));
  });

  it('/watch checks it and keeps watching while it is OPEN', async () => {
    const internals = ctx().api.internals;
    try {
      const result = await internals.links.open(link('/watch', `otp_id=${SCENARIOS.open}`));
      assert.equal(result?.status, 'OPEN');
      assert.ok(internals.watches.get(result.otpId as never), 'watching');
    } finally {
      internals.watches.stopAll();
    }
  });

  it('refuses anything that is not one UUID with one message, and makes no request', async () => {
    const messages = captureMessages();
    const bad: [string, string][] = [
      ['/check', 'otp_id=not-a-uuid'],
      ['/check', `otp_id=${SCENARIOS.open}%0A[x](command:workbench.action.quit)`],
      ['/check', ''],
      ['/check', `otp_id=${SCENARIOS.open}&otp_id=${SCENARIOS.failed}`],
      ['/send', `otp_id=${SCENARIOS.open}`],
    ];
    for (const [path, query] of bad) assert.equal(await ctx().api.internals.links.open(link(path, query)), undefined, `${path}?${query}`);
    assert.equal(ctx().mock.requests.length, 0, 'no request');
    assert.equal(ctx().api.getHistory().length, 0);
    const errors = messages.filter((m) => m.kind === 'error');
    assert.equal(errors.length, bad.length, 'one message per link');
    for (const m of errors) assert.match(m.text, /[Nn]othing was looked up/);
    assert.match(errors[0].text, /"not-a-uu…"/);
  });
});

describe('reach: agent tools', () => {
  beforeEach(() => resetState());
  afterEach(() => sinon.restore());

  it('registers the five d7otp_ tools with VS Code', () => {
    const tools = (vscode.lm as unknown as { tools: readonly { name: string }[] }).tools.map((t) => t.name).filter((n) => n.startsWith('d7otp_'));
    assert.deepEqual(tools.sort(), ['d7otp_getHistory', 'd7otp_getStatus', 'd7otp_resendOtp', 'd7otp_sendOtp', 'd7otp_watchStatus']);
  });

  it('d7otp_getStatus answers status, time and HTTP code, and records the lookup like any other', async () => {
    const startedAt = Date.now();
    const out = await invoke('d7otp_getStatus', { otpId: SCENARIOS.approved });
    assert.equal(out.ok, true);
    assert.equal(out.status, 'APPROVED');
    assert.equal(out.terminal, true);
    assert.equal(out.httpStatus, 200);
    assert.ok(Date.parse(String(out.checkedAt)) >= startedAt - 1000);
    assert.equal(entryOf(SCENARIOS.approved).checks[0].checkedAt, out.checkedAt, 'recorded');
  });

  it("d7otp_getStatus answers a failure with the error's kind, D7's code and message; a non-UUID without a request", async () => {
    const out = await invoke('d7otp_getStatus', { otpId: UNKNOWN_ID });
    assert.equal(out.ok, false);
    assert.equal(out.httpStatus, 404);
    assert.deepEqual(Object.keys(out.error as object).sort(), ['code', 'kind', 'message']);
    assert.equal((out.error as { kind: string }).kind, 'not-found');
    assert.equal((out.error as { code: string }).code, 'MESSAGE_LOG_NOT_EXISTS');
    const before = ctx().mock.requests.length;
    const bad = await invoke('d7otp_getStatus', { otpId: 'hello' });
    assert.equal((bad.error as { kind: string }).kind, 'config');
    assert.equal(ctx().mock.requests.length, before, 'no request for a non-UUID');
  });

  it('d7otp_getStatus stops the request when the agent cancels; nothing is filed', async () => {
    const source = new vscode.CancellationTokenSource();
    const started = Date.now();
    const pending = invoke('d7otp_getStatus', { otpId: SCENARIOS.slow }, source.token);
    await waitFor(() => ctx().mock.requests.length === 1, 'the request to reach the mock');
    source.cancel();
    await assert.rejects(pending, /Canceled/, 'VS Code reports the invocation cancelled');
    await waitFor(
      () =>
        ctx()
          .api.internals.logLines()
          .some((l) => l.includes(SCENARIOS.slow) && /cancelled/.test(l)),
      'the request logged as cancelled',
    );
    assert.ok(Date.now() - started < 4000, 'well before the slow answer');
    assert.equal(ctx().api.getHistory().length, 0, 'a cancelled lookup is not filed');
  });

  it('d7otp_getHistory reads what the history knows (no request): one entry, or the latest ones', async () => {
    await check(SCENARIOS.open);
    await check(SCENARIOS.failed);
    const requests = ctx().mock.requests.length;
    const one = await invoke('d7otp_getHistory', { otpId: SCENARIOS.open });
    assert.equal(one.otpId, SCENARIOS.open);
    assert.equal((one.checks as { status: string }[])[0].status, 'OPEN');
    const list = await invoke('d7otp_getHistory', {});
    assert.equal(list.total, 2);
    assert.deepEqual(
      (list.entries as { otpId: string }[]).map((e) => e.otpId),
      [SCENARIOS.failed, SCENARIOS.open],
    );
    assert.equal((await invoke('d7otp_getHistory', { otpId: SCENARIOS.approved })).known, false);
    assert.equal(ctx().mock.requests.length, requests, 'no request');
  });

  it('d7otp_watchStatus polls until the status is terminal (OPEN → APPROVED) and answers the timeline', async function () {
    this.timeout(30_000);
    await vscode.workspace.getConfiguration('d7otp').update('watch.intervalSeconds', 1, vscode.ConfigurationTarget.Global);
    try {
      const out = await invoke('d7otp_watchStatus', { otpId: SCENARIOS.turnsApproved, timeoutSeconds: 20 });
      assert.equal(out.stillWatching, false);
      assert.equal((out.latest as { status: string }).status, 'APPROVED');
      assert.match(String(out.timeline), /^OPEN .* → APPROVED /);
    } finally {
      await vscode.workspace.getConfiguration('d7otp').update('watch.intervalSeconds', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  it('no tool answer and no log line holds the token', async () => {
    const answers = [await invoke('d7otp_getStatus', { otpId: SCENARIOS.open }), await invoke('d7otp_getHistory', {})];
    const text = JSON.stringify(answers) + ctx().api.internals.logLines().join('\n');
    assert.ok(!text.includes(MOCK_TOKEN));
  });

  it('send and resend ask through prepareInvocation, naming what is billed', () => {
    const tools = ctx().api.internals.tools.tools;
    const none = new vscode.CancellationTokenSource().token;
    const send = tools.get('d7otp_sendOtp')?.prepareInvocation?.({ input: { recipient: '+971501234567', originator: 'SignOTP', content: 'Code {}' } }, none);
    assert.match(send?.confirmationMessages?.title ?? '', /Send a real OTP/);
    assert.match(String(send?.confirmationMessages?.message), /\+971501234567.*billed/);
    const resend = tools.get('d7otp_resendOtp')?.prepareInvocation?.({ input: { otpId: SCENARIOS.open } }, none);
    assert.match(String(resend?.confirmationMessages?.message), /billed/);
    for (const name of ['d7otp_getStatus', 'd7otp_getHistory', 'd7otp_watchStatus']) {
      assert.equal(tools.get(name)?.prepareInvocation?.({ input: { otpId: SCENARIOS.open } }, none)?.confirmationMessages, undefined, `${name} asks nothing`);
    }
  });

  it('d7otp_sendOtp runs only through that confirmation: the send is made once VS Code has it answered, and recorded', async function () {
    // VS Code's own DialogService answers every confirmation with "yes" while extension tests run (it never shows a
    // dialog then), so this host cannot decline; the prepared confirmation above is what a person sees.
    const params = { recipient: '+971501234567', originator: 'SignOTP', content: 'Your code is {}' };
    const sends = () => ctx().mock.requests.filter((r) => r.path.endsWith('/send-otp')).length;
    const out = await invoke('d7otp_sendOtp', params);
    assert.equal(out.ok, true, JSON.stringify(out));
    assert.equal(out.operation, 'send');
    assert.equal(sends(), 1, 'sent once');
    assert.ok(
      entryOf(String(out.otpId)).checks.some((c) => c.operation === 'send'),
      'the send is recorded under the new otp_id',
    );
    assert.ok(!JSON.stringify(out).includes(MOCK_TOKEN));
    ctx().api.internals.watches.stopAll();
    const refused = await invoke('d7otp_sendOtp', { recipient: '+971501234567' });
    assert.equal((refused.error as { kind: string }).kind, 'config', 'no originator: refused before any request');
    assert.equal(sends(), 1);
  });
});

describe('reach: out of the editor (copy as curl, Markdown, link)', () => {
  beforeEach(() => resetState());

  it('copies the lookup as curl: the validated origin, the token as $D7_API_TOKEN, and it runs', async () => {
    await check(SCENARIOS.approved);
    const node = await rootNode(SCENARIOS.approved);
    const copied = await vscode.commands.executeCommand<string>('d7otp.history.copyCurl', node);
    assert.equal(await vscode.env.clipboard.readText(), copied);
    assert.ok(copied.includes('$D7_API_TOKEN') && !copied.includes(MOCK_TOKEN), copied);
    assert.ok(copied.includes(`'${ctx().mock.url}/verify/v1/report/${SCENARIOS.approved}'`), copied);
    const requests = ctx().mock.requests.length;
    // Asynchronously: the mock answering it runs in this very process.
    const { stdout: answer } = await promisify(execFile)('sh', ['-c', copied], { env: { ...process.env, D7_API_TOKEN: MOCK_TOKEN }, timeout: 10_000 });
    assert.deepEqual(JSON.parse(answer), { status: 'APPROVED' }, 'the copied command gets the same answer from the mock');
    assert.equal(ctx().mock.requests.length, requests + 1);
  });

  it('copies an entry as Markdown for a bug report: timeline, every check, D7 code and message, no token', async () => {
    await check(UNKNOWN_ID);
    const md = await vscode.commands.executeCommand<string>('d7otp.history.copyMarkdown', UNKNOWN_ID);
    assert.equal(await vscode.env.clipboard.readText(), md);
    assert.match(md, new RegExp(`^#### D7 OTP \`${UNKNOWN_ID}\``));
    assert.match(md, /\| status \| not found \| 404 \| \d+ ms \| `MESSAGE_LOG_NOT_EXISTS` \| No OTP with this id .*Given message otp id not exists/);
    assert.ok(md.includes('| Timeline | MESSAGE\\_LOG\\_NOT\\_EXISTS'), md);
    assert.ok(!md.includes(MOCK_TOKEN));
  });

  it('copies a link that this extension’s URI handler checks', async () => {
    await check(SCENARIOS.failed);
    const copied = await vscode.commands.executeCommand<string>('d7otp.history.copyLink', SCENARIOS.failed);
    const uri = vscode.Uri.parse(copied);
    if (uri.scheme === vscode.env.uriScheme) {
      // A desktop editor: the link itself.
      assert.equal(uri.authority, 'd7-otp-inspector.d7-otp-inspector');
      assert.equal((await ctx().api.internals.links.open(uri))?.status, 'FAILED');
    } else {
      // A browser-hosted editor (this host): an address of that editor that hands the link to the handler.
      const web = new URL(copied);
      assert.match(web.protocol, /^https?:$/);
      assert.equal(web.searchParams.get('vscode-authority'), 'd7-otp-inspector.d7-otp-inspector');
      assert.equal(web.searchParams.get('vscode-path'), '/check');
      assert.equal(web.searchParams.get('vscode-query'), `otp_id=${SCENARIOS.failed}`);
      const handed = vscode.Uri.from({
        scheme: vscode.env.uriScheme,
        authority: 'd7-otp-inspector.d7-otp-inspector',
        path: '/check',
        query: web.searchParams.get('vscode-query') ?? '',
      });
      assert.equal((await ctx().api.internals.links.open(handed))?.status, 'FAILED');
    }
  });

  it('a profile whose base URL is refused copies nothing and says why', async () => {
    await check(SCENARIOS.open);
    await setSetting('baseUrl', 'http://d7.example.com');
    const messages = captureMessages();
    try {
      assert.equal(await vscode.commands.executeCommand('d7otp.history.copyCurl', SCENARIOS.open), undefined);
      await waitFor(() => messages.some((m) => m.kind === 'warning'), 'a warning');
      assert.match(messages.find((m) => m.kind === 'warning')?.text ?? '', /d7otp\.baseUrl/);
    } finally {
      sinon.restore();
    }
  });
});

export type { StatusCheck };
