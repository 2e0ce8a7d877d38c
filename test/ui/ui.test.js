#!/usr/bin/env node
// UI test: drives the real VS Code workbench (code-server, headless chromium via playwright-core) as a person would,
// against the project's mock D7 server, and saves screenshots to artifacts/screenshots/:
//   01-welcome.png          the empty "OTP Status" view with its welcome content (no token yet)
//   02-palette-prompt.png   "D7 OTP: Check Status" asking for an otp_id
//   03-tree-populated.png   the tree with several statuses, some entries and a check expanded
//                           (03-tree-populated-view.png: the side bar alone, for the README)
//   04-error-notification.png  the 404 (MESSAGE_LOG_NOT_EXISTS) error notification
//   05-watch-running.png / 05-watch-approved.png  "Watch Status" spinning, then OPEN → APPROVED with its timeline
//   06-send-steps.png / 06-send-confirm.png  "Send OTP…": its steps and the billing confirmation
//   07-send-verify-timeline.png  the sent OTP verified with the mock's code: APPROVED and its timeline
// Each step waits with a timeout; when an expected element does not appear it saves FAIL-<step>.png and says what was
// missing. Every step's result is reported (test/ui/steps.js): a failed step skips only the steps that need it, and
// they say so. Closes with `ui: N passed, N failed, N skipped`; exits 1 when a step failed or was skipped.
//
//   npm run test:ui     (needs `npm run build && npm run compile:tests`, and the tools from scripts/tools.sh)
//   HEADED is not supported here (no display); VERBOSE=1 prints every workbench console line.
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const { REPO, startCodeServer, openWorkbench, cleanLogLine, runExitHooks } = require('../../scripts/codeServer');
const { Steps, Missing, expectVisible, settle } = require('./steps');

const SHOTS = path.join(REPO, 'artifacts', 'screenshots');
const WORKSPACE = path.join(REPO, 'test/fixtures/workspace');
const VIEWPORT = { width: 1400, height: 900 };
const UNKNOWN_ID = '99999999-9999-4999-8999-999999999999';
const T = { short: 10_000, normal: 20_000, long: 60_000 };

// What each looked-up id must show in its tree row: status text and codicon (src/tree/presentation.ts, issue 2:
// OPEN = waiting, APPROVED = success, EXPIRED = warning, FAILED = error, unknown = question, failed lookup = error).
const EXPECT = [
  { scenario: 'open', text: 'OPEN', icon: 'codicon-clock' },
  { scenario: 'approved', text: 'APPROVED', icon: 'codicon-pass-filled' },
  { scenario: 'expired', text: 'EXPIRED', icon: 'codicon-warning' },
  { scenario: 'failed', text: 'FAILED', icon: 'codicon-circle-slash' },
  { scenario: 'unknownStatus', text: 'PENDING_REVIEW', icon: 'codicon-question' },
];

let page;
const steps = new Steps({
  tag: 'ui',
  shots: SHOTS,
  page: () => page,
  describeFailure: async () => {
    const notes = await page.locator('.notification-list-item').allInnerTexts();
    if (notes.length) console.log(`    notifications on screen: ${notes.map((n) => JSON.stringify(n.replace(/\s+/g, ' ').trim())).join(', ')}`);
  },
  recover: async () => {
    await page.keyboard.press('Escape');
    await page.keyboard.press('Escape');
  },
});
const since = () => steps.since();

async function shot(file) {
  await settle(page); // a hover or notification animating in
  await page.screenshot({ path: path.join(SHOTS, file) });
  console.log(`    saved artifacts/screenshots/${file}`);
}

// ---------- helpers that act like a person ----------
const quickInput = () => page.locator('.quick-input-widget');
const quickInputBox = () => page.locator('.quick-input-widget .quick-input-box input');
const sidebar = () => page.locator('.part.sidebar');
const treeRow = (text) => sidebar().locator('.monaco-list-row', { hasText: text });

/** F1, type the command title, pick it, Enter. */
async function runCommand(title) {
  await page.keyboard.press('Escape'); // close any open quick input / hover first
  await page.keyboard.press('F1');
  await expectVisible(quickInputBox(), 'the command palette');
  await page.keyboard.type(title, { delay: 10 });
  await expectVisible(page.locator('.quick-input-list .monaco-list-row', { hasText: title }), `the palette entry "${title}"`);
  await page.keyboard.press('Enter');
}

/** Waits for an input box (not the palette) whose prompt/placeholder mentions `hint`. */
async function waitForPrompt(hint, what) {
  const widget = page.locator('.quick-input-widget', { hasText: hint });
  try {
    await widget.first().waitFor({ state: 'visible', timeout: T.normal });
  } catch {
    // the hint may be only the input's placeholder, which hasText does not see
    await expectVisible(page.locator(`.quick-input-widget input[placeholder*="${hint}"]`), what);
  }
}

async function checkStatus(otpId) {
  await runCommand('D7 OTP: Check Status');
  await waitForPrompt('otp_id', 'the "Check Status" otp_id prompt');
  await page.keyboard.press('ControlOrMeta+A'); // the prompt may offer a default (clipboard/selection)
  await page.keyboard.type(otpId, { delay: 5 });
  await page.keyboard.press('Enter');
}

async function main() {
  fs.mkdirSync(SHOTS, { recursive: true });
  for (const f of fs.readdirSync(SHOTS)) if (f.endsWith('.png')) fs.rmSync(path.join(SHOTS, f));
  const consoleLog = fs.createWriteStream(path.join(REPO, 'artifacts', 'ui-console.log'));

  const mockModule = path.join(REPO, 'out/test/mock/server.js');
  for (const f of [mockModule, path.join(REPO, 'dist/extension.js')]) {
    if (!fs.existsSync(f)) {
      console.error(`[ui] missing ${path.relative(REPO, f)}: run \`npm run build && npm run compile:tests\` first`);
      return 1;
    }
  }
  const { startMockServer, MOCK_TOKEN, SCENARIOS } = require(mockModule);
  const mock = await startMockServer();
  let server;
  let wb;
  try {
    console.log(`[ui] mock D7 server at ${mock.url}`);
    server = await startCodeServer({
      userSettings: {
        'd7otp.baseUrl': mock.url,
        'd7otp.watch.intervalSeconds': 1, // a watch sees the mock's OPEN → APPROVED within seconds
        'workbench.tree.indent': 12,
      },
      // The extension is loaded from the clone through a symlink in the extensions dir, like a user-installed one,
      // and the smoke-test driver stays off: with it (needed for an extensionDevelopmentPath payload) the workbench
      // never shows notification toasts, and this test must see the error notification as a person would.
      linkExtension: REPO,
      smokeTestDriver: false,
      workspace: WORKSPACE,
    });
    console.log(`[ui] code-server at ${server.baseUrl} (${since()})`);

    const loaded = await steps.run('workbench loads', async () => {
      wb = await openWorkbench({
        url: server.url,
        viewport: VIEWPORT,
        waitForWorkbench: false,
        onLog: (type, raw) => {
          consoleLog.write(`[${type}] ${raw}\n`);
          const line = cleanLogLine(raw);
          if (line && (process.env.VERBOSE || /\bd7|D7 OTP|\[Extension Host\].*(error|Error)/.test(line))) {
            console.log(`    [workbench] ${line}`);
          }
        },
      });
      page = wb.page;
      page.on('console', (m) => consoleLog.write(`[page ${m.type()}] ${m.text()}\n`));
      page.on('pageerror', (e) => consoleLog.write(`[pageerror] ${e.message}\n`));
      await expectVisible(page.locator('.monaco-workbench'), 'the workbench (.monaco-workbench)', T.long);
      await expectVisible(page.locator('.part.statusbar'), 'the status bar', T.long);
      await expectVisible(page.locator('.part.activitybar'), 'the activity bar', T.long);
    });

    const viewOpen = await steps.run('D7 OTP activity-bar icon opens the empty view with its welcome content', { needs: [loaded] }, async () => {
      const icon = page.locator('.part.activitybar .action-item a[aria-label^="D7 OTP"], ' + '.part.activitybar .action-item [aria-label^="D7 OTP"]');
      await expectVisible(icon, 'the "D7 OTP" activity-bar icon', T.long);
      await icon.first().click();
      // A container with one view shows it as the side bar title "D7 OTP: OTP Status" (no separate pane header).
      await expectVisible(sidebar().locator('.composite.title .title-label, .pane-header', { hasText: 'OTP Status' }), 'the "OTP Status" view title');
      await expectVisible(
        sidebar().locator('.welcome-view-content .monaco-button', { hasText: 'Set API Token' }),
        'the welcome content\'s "Set API Token" button',
      );
      await widenSidebar();
      await page.mouse.move(VIEWPORT.width - 50, VIEWPORT.height / 2); // no hover on the icon
      await shot('01-welcome.png');
    });

    const token = await steps.run('"D7 OTP: Set API Token" stores the token typed into the password box', { needs: [viewOpen] }, async () => {
      await runCommand('D7 OTP: Set API Token');
      await expectVisible(page.locator('.quick-input-widget input[type="password"]'), 'the password input box');
      await page.keyboard.type(MOCK_TOKEN, { delay: 0 });
      await page.keyboard.press('Enter');
      await expectVisible(quickInput(), 'the input box closing', T.normal, 'hidden');
      // The welcome content follows the d7otp.hasToken context key: now it offers "Check Status".
      await expectVisible(
        sidebar().locator('.welcome-view-content .monaco-button', { hasText: 'Check Status' }),
        'the welcome content\'s "Check Status" button (d7otp.hasToken set)',
      );
    });

    const prompted = await steps.run('"D7 OTP: Check Status" prompts for an otp_id', { needs: [token] }, async () => {
      await runCommand('D7 OTP: Check Status');
      await waitForPrompt('otp_id', 'the "Check Status" otp_id prompt');
      await shot('02-palette-prompt.png');
      await page.keyboard.press('ControlOrMeta+A');
      await page.keyboard.type(SCENARIOS.open, { delay: 5 });
      await page.keyboard.press('Enter');
    });

    const rows = {};
    for (const [i, e] of EXPECT.entries()) {
      const id = SCENARIOS[e.scenario];
      rows[e.scenario] = await steps.run(`tree shows ${e.scenario} (${id.slice(0, 8)}…) as ${e.text}`, { needs: [i === 0 ? prompted : token] }, async () => {
        if (i > 0) await checkStatus(id);
        const row = treeRow(id).filter({ hasText: e.text });
        await expectVisible(row, `the tree row "${id}" with status "${e.text}"`);
        await expectVisible(row.locator(`.${e.icon}`), `the ${e.icon} icon on the "${id}" row`, T.short);
      });
    }

    await steps.run('entries and a check expand', { needs: [rows.approved, rows.failed, rows.open] }, async () => {
      await page.keyboard.press('Escape');
      // Expand approved, failed and open (their checks appear), then the newest check under open (its fields).
      for (const scenario of ['approved', 'failed', 'open']) await expandRow(treeRow(SCENARIOS[scenario]), scenario);
      // Under an entry come its rows (a timeline, then the checks, newest first): expand the first collapsible one.
      const checkRow = await firstCollapsibleChild(treeRow(SCENARIOS.open));
      if (!checkRow) throw new Missing('a collapsible check row under the open entry did not appear');
      await expandRow(checkRow, 'the newest check of open');
      await expectVisible(
        sidebar().locator('.monaco-list-row[aria-level="3"]', { hasText: /status/i }),
        'a response field row (level 3) mentioning "status" under the expanded check',
      );
      await page.mouse.move(VIEWPORT.width - 50, VIEWPORT.height - 100);
      await shot('03-tree-populated.png');
      // The side bar alone, for the README (the full window is half empty editor).
      await sidebar().screenshot({ path: path.join(SHOTS, '03-tree-populated-view.png') });
    });

    await steps.run(`unknown id ${UNKNOWN_ID} gives the 404 MESSAGE_LOG_NOT_EXISTS notification`, { needs: [token] }, async () => {
      await checkStatus(UNKNOWN_ID);
      const toast = page.locator('.notification-toast', { hasText: 'MESSAGE_LOG_NOT_EXISTS' });
      await expectVisible(toast, 'an error notification mentioning MESSAGE_LOG_NOT_EXISTS');
      // 404 is shown as a warning or an error notification (the extension's choice); either icon counts.
      await expectVisible(toast.locator('.codicon-error, .codicon-warning'), 'a severity icon in that notification', T.short);
      await expectVisible(treeRow(UNKNOWN_ID), `the tree row "${UNKNOWN_ID}" (a failed lookup is still recorded)`);
      // A long message is cut to one line in a toast; a person hovers it and clicks "Expand" to read all of it.
      await toast.first().hover();
      const expand = toast.locator('.codicon-notifications-expand');
      if (
        await expand
          .first()
          .isVisible()
          .catch(() => false)
      ) {
        await expand.first().click();
        await expectVisible(toast.locator('.codicon-notifications-collapse'), 'the expanded notification', T.short);
      }
      await shot('04-error-notification.png');
    });

    await steps.run('"D7 OTP: Watch Status" follows an OTP from OPEN to APPROVED', { needs: [token] }, async () => {
      await page.keyboard.press('Escape');
      await runCommand('D7 OTP: Watch Status');
      await waitForPrompt('otp_id', 'the "Watch Status" otp_id prompt');
      await page.keyboard.press('ControlOrMeta+A');
      await page.keyboard.type(SCENARIOS.turnsApproved, { delay: 2 });
      await page.keyboard.press('Enter');
      const row = treeRow(SCENARIOS.turnsApproved);
      await expectVisible(row.locator('.codicon-loading'), 'the spinning icon on the watched row', T.short);
      await expectVisible(page.locator('.part.statusbar', { hasText: 'watching' }), 'the status-bar watch count', T.short);
      await shot('05-watch-running.png');
      await expectVisible(row.filter({ hasText: 'APPROVED' }), 'the watched row turning APPROVED');
      await expectVisible(page.locator('.notification-toast', { hasText: 'OPEN → APPROVED' }), 'the OPEN → APPROVED notification', T.short);
      await expandRow(row, 'the watched entry');
      await expectVisible(sidebar().locator('.monaco-list-row', { hasText: /Timeline.*OPEN.*→.*APPROVED/ }), 'the timeline row OPEN → APPROVED');
      await page.mouse.move(VIEWPORT.width - 50, VIEWPORT.height / 2);
      await shot('05-watch-approved.png');
    });

    await steps.run(
      '"D7 OTP: Send OTP…" sends after the billing confirmation; "Verify Code…" with the mock\'s code approves it',
      { needs: [token] },
      async () => {
        await page.keyboard.press('Escape');
        await runCommand('D7 OTP: Send OTP…');
        await waitForPrompt('E.164', 'the recipient step');
        await page.keyboard.type('+971501234567', { delay: 5 });
        await page.keyboard.press('Enter');
        await waitForPrompt('Originator', 'the originator step');
        await page.keyboard.press('Enter'); // the default originator
        await waitForPrompt('{}', 'the content step');
        await page.keyboard.press('Enter'); // the default text with {}
        await expectVisible(page.locator('.quick-input-list .monaco-list-row', { hasText: 'More options' }), 'the "Send / More options…" step');
        await shot('06-send-steps.png');
        await page.keyboard.press('Enter'); // "Send" comes first
        const dialog = page.locator('.monaco-dialog-box').filter({ hasText: 'may be billed' });
        await expectVisible(dialog, 'the billing confirmation dialog');
        await shot('06-send-confirm.png');
        await dialog.locator('.monaco-button', { hasText: 'Send OTP' }).first().click();
        const sent = page.locator('.notification-toast', { hasText: 'OTP sent to' });
        await expectVisible(sent, 'the "OTP sent" notification');
        const otpId = ((await sent.first().innerText()).match(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i) || [])[0];
        if (!otpId) throw new Missing('an otp_id in the "OTP sent" notification');
        const code = mock.codeOf(otpId); // the mock "received the SMS"
        if (!code) throw new Missing(`the mock's code for ${otpId}`);
        await runCommand('D7 OTP: Verify Code…');
        const pick = page.locator('.quick-input-list .monaco-list-row', { hasText: otpId });
        await expectVisible(pick, 'the sent otp_id in the Verify Code picker');
        await pick.first().click();
        await waitForPrompt('code received', 'the code prompt');
        await page.keyboard.type(code, { delay: 20 });
        await page.keyboard.press('Enter');
        await expectVisible(treeRow(otpId).filter({ hasText: 'APPROVED' }), 'the sent OTP turning APPROVED in the tree');
        await expandRow(treeRow(otpId), 'the sent OTP');
        await expectVisible(sidebar().locator('.monaco-list-row', { hasText: /Timeline.*OPEN.*→.*APPROVED/ }), 'its timeline row');
        await page.mouse.move(VIEWPORT.width - 50, VIEWPORT.height / 2);
        await shot('07-send-verify-timeline.png');
      },
    );
  } finally {
    if (wb) await wb.close();
    if (server) await server.stop();
    await mock.close();
    consoleLog.end();
  }
  return 0;
}

/** Drags the side bar's right edge so otp_ids (36 characters) and their status fit without truncation. */
async function widenSidebar(target = 720) {
  const box = await sidebar().boundingBox();
  if (!box || box.width >= target - 20) return;
  const edge = box.x + box.width;
  // The vertical sash nearest to the side bar's right edge (it straddles the border between side bar and editor).
  const sashes = await page
    .locator('.monaco-sash.vertical')
    .evaluateAll((els) => els.map((e) => e.getBoundingClientRect()).map((r) => ({ x: r.x + r.width / 2, y: r.y, h: r.height })));
  const sash = sashes.filter((r) => r.h > 100).sort((a, b) => Math.abs(a.x - edge) - Math.abs(b.x - edge))[0];
  if (!sash || Math.abs(sash.x - edge) > 12) throw new Missing(`the side bar's resize sash (near x=${edge})`);
  const y = sash.y + sash.h / 2;
  await page.mouse.move(sash.x, y);
  await page.mouse.down();
  await page.mouse.move(sash.x + 20, y, { steps: 4 });
  await page.mouse.move(box.x + target, y, { steps: 10 });
  await page.mouse.up();
  await page
    .waitForFunction((min) => document.querySelector('.part.sidebar').getBoundingClientRect().width >= min, target - 40, { timeout: 5000 })
    .catch(() => {});
  const after = await sidebar().boundingBox();
  if (!after || after.width < target - 40) throw new Missing(`a side bar ~${target}px wide (it is ${after && after.width}px)`);
}

/** The first expandable row directly under `parent` (one level deeper, before the next sibling), or undefined. */
async function firstCollapsibleChild(parent) {
  const p = parent.first();
  const index = Number(await p.getAttribute('data-index'));
  const level = Number(await p.getAttribute('aria-level'));
  for (let i = index + 1; ; i++) {
    const row = sidebar().locator(`.monaco-list-row[data-index="${i}"]`);
    if ((await row.count()) === 0) return undefined;
    const l = Number(await row.getAttribute('aria-level'));
    if (l <= level) return undefined;
    if (l === level + 1 && (await row.getAttribute('aria-expanded')) !== null) return row;
  }
}

/** Whether `row` says it is expanded (aria-expanded="true") within `timeout` ms. */
function isExpandedWithin(row, timeout) {
  return row
    .and(page.locator('[aria-expanded="true"]'))
    .waitFor({ timeout })
    .then(
      () => true,
      () => false,
    );
}

/** Expands a collapsed tree row by clicking its twistie (again, if a re-render swallowed the click). */
async function expandRow(row, what) {
  await expectVisible(row, `the tree row for ${what}`);
  const r = row.first();
  const expanded = () => r.getAttribute('aria-expanded', { timeout: 2000 }).catch(() => null);
  for (let attempt = 0; attempt < 3; attempt++) {
    if ((await expanded()) === 'true') return;
    await r
      .locator('.monaco-tl-twistie')
      .click({ timeout: 5000 })
      .catch(() => {});
    // Waits for the row to say it is expanded (a condition, not a pause); clicks again when it does not.
    if (await isExpandedWithin(r, 2000)) return;
  }
  throw new Missing(`the tree row for ${what} did not expand (aria-expanded stayed false)`);
}

main()
  .then((code) => {
    process.exitCode = code || steps.finish();
  })
  .catch(async (e) => {
    console.error('[ui] could not run:', e && e.stack ? e.stack : e);
    await runExitHooks();
    steps.finish();
    process.exitCode = 1;
  });
