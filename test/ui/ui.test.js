#!/usr/bin/env node
// UI test: drives the real VS Code workbench (code-server, headless chromium via playwright-core) as a person would,
// at the size people use it: a 1280×800 window and the side bar at its default width (nothing is widened). Against
// the project's mock D7 server; screenshots in artifacts/screenshots/:
//   01-welcome.png             the empty view: Set API Token, and Try with the Built-in Demo Server
//   02-palette-prompt.png      "D7 OTP: Check Status" asking for an otp_id
//   03-tree-dark.png           every status in the tree, default dark theme (03-tree-dark-view.png: the side bar)
//   04-error-notification.png  the 404 (MESSAGE_LOG_NOT_EXISTS) error notification
//   05-watch-running.png / 05-watch-approved.png  "Watch Status" spinning, then OPEN → APPROVED with its timeline
//   06-send-steps.png / 06-send-confirm.png  "Send OTP…" by keyboard: its steps and the billing confirmation
//   07-send-verify-timeline.png  the sent OTP verified with the mock's code: one message, APPROVED, its timeline
//   08-keyboard.png            the view driven by keys alone: a row checked again by its keybinding, its context menu
//   09-tree-light.png          the same tree in the default light theme (09-tree-light-view.png: the side bar)
//   10-first-minute-hover.png  `npm start`'s first minute: the README's otp_id hovered before the view ever opened
//   11-first-minute-status.png the first status on screen: checked from the welcome button, no token pasted
// At each tree step it asserts, from the DOM, that each row's status word is drawn inside its row and not clipped
// (test/ui/readable.js), in the dark and the light theme. The first minute runs `node scripts/demo.js` as `npm start`
// does (with its build; UI_FIRST_MINUTE_NO_BUILD=1 skips the build) and prints the time to the first status
// (UI_ONLY_FIRST_MINUTE=1 runs only that part).
// Each step waits with a timeout; when an expected element does not appear it saves FAIL-<step>.png and says what was
// missing. Every step's result is reported (test/ui/steps.js): a failed step skips only the steps that declared they
// need it, and they say so ("skipped: needs …, which failed"). Closes with `ui: N passed, N failed, N skipped`, and
// exits 1 when a step failed or was skipped.
//
//   npm run test:ui     (needs `npm run build && npm run compile:tests`, and the tools from scripts/tools.sh)
//   HEADED is not supported here (no display); VERBOSE=1 prints every workbench console line.
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const { REPO, startCodeServer, openWorkbench, cleanLogLine, runExitHooks } = require('../../scripts/codeServer');
const h = require('./harness');
const { readRows } = require('./readable');
const { firstMinute } = require('./firstMinute');
const { Steps, Missing, expectVisible, settle, runCommand: runPaletteCommand } = require('./steps');

const { T, until, shot, quickInput, sidebar, treeRow, toasts, waitForPrompt } = h;
const WORKSPACE = path.join(REPO, 'test/fixtures/workspace');
/** The window people use: 1280×800; the side bar keeps its default width. */
const VIEWPORT = { width: 1280, height: 800 };
const UNKNOWN_ID = '99999999-9999-4999-8999-999999999999';
// VS Code 1.139's default themes (its COLOR_THEME_DARK / COLOR_THEME_LIGHT), then the defaults before them.
const THEMES = { dark: 'Dark 2026', light: 'Light 2026', olderDark: 'Dark Modern', olderLight: 'Light Modern' };
const TIME = /\d{1,2}:\d{2}:\d{2}$/;

// What each looked-up id must show in its tree row: status word and codicon (src/features/history/rows.ts:
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
  shots: h.SHOTS,
  page: h.currentPage,
  describeFailure: h.describeNotifications,
  // The next step starts from the workbench without an open palette, prompt, menu or dialog.
  recover: async () => {
    const p = h.currentPage();
    for (let i = 0; i < 3; i++) await p.keyboard.press('Escape');
    await expectVisible(p.locator('.quick-input-widget'), 'the quick input to close', T.short, 'hidden').catch(() => {});
  },
});

/** Runs a palette command on the page the helpers act on (test/ui/steps.js). */
const runCommand = (title) => runPaletteCommand(h.currentPage(), title);

/** Waits for the activity-bar icon's "D7 OTP" tooltip to go (it covered the welcome text in 01-welcome.png): it is
 *  kept by the icon's focus, so the empty editor area is clicked. A screenshot detail, so never a failure. */
async function iconTooltipGone(page) {
  const shown = () =>
    page.evaluate(() =>
      [...document.querySelectorAll('body *')].some((n) => {
        if (n.closest('.part.activitybar, .part.sidebar, .part.titlebar')) return false;
        const r = n.getBoundingClientRect();
        return r.width > 0 && r.height > 0 && n.innerText?.trim() === 'D7 OTP';
      }),
    );
  await page.mouse.click(VIEWPORT.width - 50, VIEWPORT.height / 2);
  try {
    await until(async () => !(await shown()), "the icon's tooltip to go", T.short);
    return;
  } catch {
    // left as it is
  }
  console.log("    (the icon's tooltip is still shown in 01-welcome.png)");
}

async function checkStatus(otpId) {
  await runCommand('D7 OTP: Check Status');
  await waitForPrompt('otp_id', 'the "Check Status" otp_id prompt');
  await page.keyboard.press('ControlOrMeta+A'); // the prompt may offer a default (the selection)
  await page.keyboard.type(otpId, { delay: 5 });
  await page.keyboard.press('Enter');
}

/**
 * From the DOM: each expected entry's row starts with its status word, drawn whole inside the row (not under the
 * ellipsis, not past the side bar), in readable contrast; so is the status word of every check row on screen.
 */
async function assertReadable(expected, theme) {
  const rows = await readRows(page);
  const problems = [];
  const judge = (row, what) => {
    if (!row.inside) problems.push(`${what}: "${row.word}" is clipped (its x ${row.word_px.join('–')}, visible up to ${row.visible_px[1]})`);
    if (row.textContrast < 4.5) problems.push(`${what}: label contrast ${row.textContrast.toFixed(2)} < 4.5`);
    if (row.iconContrast !== undefined && row.iconContrast < 3) problems.push(`${what}: icon contrast ${row.iconContrast.toFixed(2)} < 3`);
  };
  for (const { id, text } of expected) {
    const row = rows.find((r) => r.level === 1 && r.label.includes(id));
    if (!row) problems.push(`no row for ${id}`);
    else if (row.word !== text) problems.push(`the row of ${id.slice(0, 8)} starts with "${row.word}", not "${text}"`);
    else judge(row, `${theme} ${id.slice(0, 8)}`);
  }
  const checks = rows.filter((r) => r.level === 2 && TIME.test(r.label));
  for (const row of checks) judge(row, `${theme} check row "${row.label}"`);
  if (problems.length) throw new Missing(`not readable at the default width:\n      ${problems.join('\n      ')}`);
  console.log(`    ${theme}: ${expected.length} entry rows and ${checks.length} check rows read whole (side bar ${await h.sidebarWidth()} px)`);
  return rows;
}

/** Picks a colour theme as a person does (Preferences: Color Theme) and waits for the workbench's theme class. */
async function setTheme(name, cls) {
  await runCommand('Preferences: Color Theme');
  await expectVisible(page.locator('.quick-input-list .monaco-list-row'), 'the theme picker');
  await page.keyboard.type(name, { delay: 5 });
  await expectVisible(page.locator('.quick-input-list .monaco-list-row.focused', { hasText: name }), `the theme "${name}" picked in the list`);
  await page.keyboard.press('Enter');
  await until(async () => (await page.locator('.monaco-workbench').getAttribute('class')).split(/\s+/).includes(cls), `the ${name} theme`, T.normal);
}

async function main() {
  h.prepareShots();
  const consoleLog = fs.createWriteStream(path.join(REPO, 'artifacts', 'ui-console.log'));
  const mockModule = path.join(REPO, 'out/test/mock/server.js');
  for (const f of [mockModule, path.join(REPO, 'dist/extension.js'), path.join(REPO, 'dist/demo.js')]) {
    if (!fs.existsSync(f)) {
      console.error(`[ui] missing ${path.relative(REPO, f)}: run \`npm run build && npm run compile:tests\` first`);
      return 1;
    }
  }
  const { startMockServer, MOCK_TOKEN, SCENARIOS } = require(mockModule);
  const onLog = (type, raw) => {
    consoleLog.write(`[${type}] ${raw}\n`);
    const line = cleanLogLine(raw);
    if (line && (process.env.VERBOSE || /\bd7|D7 OTP|\[Extension Host\].*(error|Error)/.test(line))) console.log(`    [workbench] ${line}`);
  };
  if (!process.env.UI_ONLY_FIRST_MINUTE) await mainFlow({ consoleLog, onLog, startMockServer, MOCK_TOKEN, SCENARIOS });
  const timing = await firstMinute({ steps, viewport: VIEWPORT, onLog, SCENARIOS });
  consoleLog.end();
  const s = (v) => (v === undefined ? 'not reached' : `${v.toFixed(1)} s`);
  console.log(`\n[ui] npm start → URL printed: ${s(timing.urlPrintedS)} (build included: ${timing.built ? 'yes' : 'no'})`);
  console.log(`[ui] npm start → first status on screen: ${s(timing.firstStatusS)} (page opened at ${s(timing.pageOpenedS)})`);
  return 0;
}

/** The main flow, in a sandbox of its own: every feature a person reaches first, at the default layout. */
async function mainFlow({ consoleLog, onLog, startMockServer, MOCK_TOKEN, SCENARIOS }) {
  const mock = await startMockServer();
  let server;
  let wb;
  try {
    console.log(`[ui] mock D7 server at ${mock.url}`);
    server = await startCodeServer({
      userSettings: {
        'd7otp.baseUrl': mock.url,
        'd7otp.watch.intervalSeconds': 1, // a watch sees the mock's OPEN → APPROVED within seconds
        'workbench.colorTheme': THEMES.dark,
      },
      // The extension is loaded from the clone through a symlink in the extensions dir, like a user-installed one,
      // and the smoke-test driver stays off: with it (needed for an extensionDevelopmentPath payload) the workbench
      // never shows notification toasts, and this test must see the notifications as a person would.
      linkExtension: REPO,
      smokeTestDriver: false,
      workspace: WORKSPACE,
    });
    console.log(`[ui] code-server at ${server.baseUrl} (${steps.since()})`);

    const loaded = await steps.run('workbench loads at 1280×800', async () => {
      wb = await openWorkbench({ url: server.url, viewport: VIEWPORT, waitForWorkbench: false, onLog });
      page = wb.page;
      h.usePage(page);
      page.on('console', (m) => consoleLog.write(`[page ${m.type()}] ${m.text()}\n`));
      page.on('pageerror', (e) => consoleLog.write(`[pageerror] ${e.message}\n`));
      await expectVisible(page.locator('.monaco-workbench'), 'the workbench (.monaco-workbench)', T.long);
      await expectVisible(page.locator('.part.statusbar'), 'the status bar', T.long);
      await expectVisible(page.locator('.part.activitybar'), 'the activity bar', T.long);
    });

    const view = await steps.run('the empty view offers Set API Token and Try with the Built-in Demo Server', { needs: [loaded] }, async () => {
      await h.openView();
      const welcome = sidebar().locator('.welcome-view-content');
      await expectVisible(welcome.locator('.monaco-button', { hasText: 'Set API Token' }), 'the welcome content\'s "Set API Token" button');
      await expectVisible(
        welcome.locator('.monaco-button', { hasText: 'Try with the Built-in Demo Server' }),
        'the "Try with the Built-in Demo Server" button',
      );
      const width = await h.sidebarWidth();
      if (width < 250 || width > 340) throw new Missing(`a side bar at its default width (about 300 px); it is ${width} px`);
      await page.mouse.move(VIEWPORT.width - 50, VIEWPORT.height / 2); // no hover on the icon …
      await iconTooltipGone(page);
      await shot('01-welcome.png');
    });

    // The token step's proof is the view's welcome turning to "Check Status": it needs the view.
    const token = await steps.run('"D7 OTP: Set API Token" stores the token typed into the password box', { needs: [view] }, async () => {
      await runCommand('D7 OTP: Set API Token');
      await expectVisible(page.locator('.quick-input-widget input[type="password"]'), 'the password input box');
      await page.keyboard.type(MOCK_TOKEN, { delay: 0 });
      await page.keyboard.press('Enter');
      await expectVisible(quickInput(), 'the input box closing', T.normal, 'hidden');
      await expectVisible(sidebar().locator('.welcome-view-content .monaco-button', { hasText: 'Check Status' }), 'the "Check Status" welcome button');
    });

    const prompt = await steps.run('"D7 OTP: Check Status" prompts for an otp_id', { needs: [token] }, async () => {
      await runCommand('D7 OTP: Check Status');
      await waitForPrompt('otp_id', 'the "Check Status" otp_id prompt');
      await shot('02-palette-prompt.png');
      await page.keyboard.press('ControlOrMeta+A');
      await page.keyboard.type(SCENARIOS.open, { delay: 5 });
      await page.keyboard.press('Enter');
    });

    // The first row is the id the prompt step entered; the others are checked here, with the token.
    const rows = {};
    for (const [i, e] of EXPECT.entries()) {
      const id = SCENARIOS[e.scenario];
      rows[e.scenario] = await steps.run(`tree shows ${e.scenario} (${id.slice(0, 8)}…) as ${e.text}`, { needs: [i === 0 ? prompt : token] }, async () => {
        if (i > 0) await checkStatus(id);
        const row = treeRow(id).filter({ hasText: e.text });
        await expectVisible(row, `the tree row "${id}" with status "${e.text}"`);
        await expectVisible(row.locator(`.${e.icon}`), `the ${e.icon} icon on the "${id}" row`, T.short);
      });
    }
    const allRows = Object.values(rows);
    const expected = EXPECT.map((e) => ({ id: SCENARIOS[e.scenario], text: e.text }));

    // The rows it expands; and it reads every entry row, so it needs them all.
    const readableNeeds = { needs: allRows };
    await steps.run(
      `at the default width every row shows its status word whole (${THEMES.dark}, the default dark theme; from the DOM)`,
      readableNeeds,
      async () => {
        await page.keyboard.press('Escape');
        for (const scenario of ['approved', 'failed', 'open']) await expandRow(treeRow(SCENARIOS[scenario]), scenario);
        let checkRow;
        await until(async () => (checkRow = await firstCollapsibleChild(treeRow(SCENARIOS.open))) !== undefined, "the open entry's rows", T.short).catch(
          () => {},
        );
        if (!checkRow) {
          const dump = await sidebar()
            .locator('.monaco-list-row')
            .evaluateAll((rows) =>
              rows.map((r) => [r.dataset.index, r.getAttribute('aria-level'), r.getAttribute('aria-expanded'), r.textContent.slice(0, 40)]),
            );
          throw new Missing(`a collapsible check row under the open entry did not appear: ${JSON.stringify(dump)}`);
        }
        await expandRow(checkRow, 'the newest check of open');
        await expectVisible(sidebar().locator('.monaco-list-row[aria-level="3"]', { hasText: /status/i }), 'a response field row under the expanded check');
        // The selected row shows its inline actions, which take width from its label: that row is measured too.
        await assertReadable(expected, 'dark');
        await page.mouse.move(VIEWPORT.width - 50, VIEWPORT.height - 100);
        await shot('03-tree-dark.png');
        await viewShot('03-tree-dark-view.png');
      },
    );

    await steps.run('a hovered row (its inline actions shown) still shows its status word whole', { needs: [rows.expired] }, async () => {
      const row = treeRow(SCENARIOS.expired).first();
      await row.hover();
      await expectVisible(row.locator('.actions .action-label').first(), 'the inline actions of the hovered row', T.short);
      await assertReadable([{ id: SCENARIOS.expired, text: 'EXPIRED' }], 'dark, hovered');
      await page.mouse.move(VIEWPORT.width - 50, VIEWPORT.height - 100);
    });

    await steps.run(`unknown id ${UNKNOWN_ID} gives the 404 MESSAGE_LOG_NOT_EXISTS notification`, { needs: [token] }, async () => {
      await checkStatus(UNKNOWN_ID);
      const toast = page.locator('.notification-toast', { hasText: 'MESSAGE_LOG_NOT_EXISTS' });
      await expectVisible(toast, 'an error notification mentioning MESSAGE_LOG_NOT_EXISTS');
      await expectVisible(toast.locator('.codicon-error, .codicon-warning'), 'a severity icon in that notification', T.short);
      await expectVisible(treeRow(UNKNOWN_ID).filter({ hasText: 'not found' }), `the tree row "${UNKNOWN_ID}" (a failed lookup is still recorded)`);
      await assertReadable([{ id: UNKNOWN_ID, text: 'not found' }], 'dark');
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
      await closeToasts();
    });

    await steps.run('"D7 OTP: Watch Status" follows an OTP from OPEN to APPROVED, announced once', { needs: [token] }, async () => {
      await page.keyboard.press('Escape');
      await runCommand('D7 OTP: Watch Status');
      await waitForPrompt('otp_id', 'the "Watch Status" otp_id prompt');
      await page.keyboard.press('ControlOrMeta+A');
      await page.keyboard.type(SCENARIOS.turnsApproved, { delay: 2 });
      await page.keyboard.press('Enter');
      const row = treeRow(SCENARIOS.turnsApproved);
      await expectVisible(row.locator('.codicon-loading'), 'the spinning icon on the watched row', T.short);
      await expectVisible(page.locator('.part.statusbar', { hasText: 'watching' }), 'the status-bar watch count', T.short);
      await assertReadable([{ id: SCENARIOS.turnsApproved, text: 'OPEN' }], 'dark, watched');
      await shot('05-watch-running.png');
      await expectVisible(row.filter({ hasText: 'APPROVED' }), 'the watched row turning APPROVED');
      await expectVisible(toasts().filter({ hasText: 'OPEN → APPROVED' }), 'the OPEN → APPROVED notification', T.short);
      await expandRow(row, 'the watched entry');
      await expectVisible(sidebar().locator('.monaco-list-row', { hasText: /Timeline.*OPEN.*→.*APPROVED/ }), 'the timeline row OPEN → APPROVED');
      await page.mouse.move(VIEWPORT.width - 50, VIEWPORT.height / 2);
      await shot('05-watch-approved.png');
      await closeToasts();
    });

    await steps.run('"Send OTP…" and "Verify Code…" by keyboard alone: one message for the verified, watched OTP', { needs: [token] }, async () => {
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
      if (!(await dialog.innerText()).includes('+97150•••4567')) throw new Missing('the masked number (+97150•••4567) in the confirmation');
      await shot('06-send-confirm.png');
      await page.keyboard.press('Enter'); // its first button, "Send OTP", has the focus
      const sent = toasts().filter({ hasText: 'OTP sent to +97150•••4567' });
      await expectVisible(sent, 'the "OTP sent" notification, with the number masked');
      const otpId = ((await sent.first().innerText()).match(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i) || [])[0];
      if (!otpId) throw new Missing('an otp_id in the "OTP sent" notification');
      const code = mock.codeOf(otpId); // the mock "received the SMS"
      if (!code) throw new Missing(`the mock's code for ${otpId}`);
      await closeToasts();
      await runCommand('D7 OTP: Verify Code…');
      // The newest otp_id comes first, and has the keyboard focus.
      await expectVisible(page.locator('.quick-input-list .monaco-list-row.focused', { hasText: otpId }), 'the sent otp_id first in the Verify Code picker');
      await page.keyboard.press('Enter');
      await waitForPrompt('code received', 'the code prompt');
      await expectVisible(page.locator('.quick-input-list .monaco-list-row'), 'the picker to give way to the code box', T.short, 'hidden');
      const active = () => page.evaluate(() => `${document.activeElement?.tagName}.${document.activeElement?.className}`.slice(0, 120));
      await until(async () => /quick-input|input/i.test(await active()), 'the keyboard focus in the code box', T.short).catch(async (e) => {
        throw new Missing(`${e.message} (focus is on ${await active()})`);
      });
      await page.keyboard.type(code, { delay: 20 });
      if ((await h.quickInputBox().inputValue()) !== code) throw new Missing(`the code in the code box (it holds "${await h.quickInputBox().inputValue()}")`);
      await page.keyboard.press('Enter');
      await expectVisible(treeRow(otpId).filter({ hasText: 'APPROVED' }), 'the sent OTP turning APPROVED in the tree');
      await expectVisible(toasts().filter({ hasText: `OTP ${otpId}: APPROVED` }), 'the one "APPROVED" message');
      // The watch that followed the send ends at its next poll; it must not announce the same change again.
      await expectVisible(page.locator('.part.statusbar', { hasText: 'watching' }), 'the watch to end', T.normal, 'hidden');
      const about = (await toasts().allInnerTexts()).filter((t) => t.includes(otpId));
      if (about.length !== 1) throw new Missing(`one message about ${otpId}, not ${about.length}: ${JSON.stringify(about)}`);
      await expandRow(treeRow(otpId), 'the sent OTP');
      await expectVisible(sidebar().locator('.monaco-list-row', { hasText: /Timeline.*OPEN.*→.*APPROVED/ }), 'its timeline row');
      await page.mouse.move(VIEWPORT.width - 50, VIEWPORT.height / 2);
      await shot('07-send-verify-timeline.png');
      await closeToasts();
    });

    // It walks down to the open entry's row and checks, watches and opens the menu of that one.
    const keyboardNeeds = { needs: [rows.open] };
    await steps.run('the view by keyboard alone: focus it, pick a row, check it again (Ctrl+Shift+Alt+D), watch it, open its menu', keyboardNeeds, async () => {
      await runCommand('Focus on OTP Status View');
      await expectVisible(sidebar().locator('.monaco-list.focused, .monaco-list:focus-within'), 'the tree to have the focus', T.short);
      await page.keyboard.press('Home');
      // Down to the open entry's row (an OTP that stays OPEN, so a watch of it keeps running).
      const focused = sidebar().locator('.monaco-list-row.focused');
      await until(async () => {
        if ((await focused.innerText().catch(() => '')).includes(SCENARIOS.open)) return true;
        await page.keyboard.press('ArrowDown');
        return false;
      }, 'the keyboard focus on the open entry');
      await page.keyboard.press('Enter'); // selects it (and toggles it open or closed)
      const row = treeRow(SCENARIOS.open).first();
      if ((await row.getAttribute('aria-expanded')) !== 'true') await page.keyboard.press('ArrowRight');
      await until(async () => (await row.getAttribute('aria-expanded')) === 'true', 'the open entry expanded by ArrowRight');
      const checksNow = async () => (await readRows(page)).filter((r) => r.level === 2 && TIME.test(r.label)).length;
      const before = await checksNow();
      await page.keyboard.press('Control+Shift+Alt+D');
      await until(async () => (await checksNow()) > before, 'a new check row under the selected entry (Ctrl+Shift+Alt+D)');
      await page.keyboard.press('Control+Shift+Alt+W');
      await expectVisible(row.locator('.codicon-loading'), 'the selected row watched (Ctrl+Shift+Alt+W: its spinning icon)', T.short);
      await page.keyboard.press('Control+Shift+Alt+W');
      await expectVisible(row.locator('.codicon-loading'), 'the watch stopped by the same key', T.short, 'hidden');
      await page.keyboard.press('Shift+F10');
      const menu = page.locator('.context-view .monaco-menu');
      await expectVisible(menu.locator('.action-label', { hasText: 'Check Again' }), 'the row\'s context menu ("Check Again")', T.short);
      await expectVisible(menu.locator('.action-label', { hasText: 'Copy otp_id' }), 'the row\'s context menu ("Copy otp_id")', T.short);
      await shot('08-keyboard.png');
      await page.keyboard.press('Escape');
    });

    await steps.run(`in ${THEMES.light}, the default light theme, every row shows its status word whole too (from the DOM)`, { needs: allRows }, async () => {
      await setTheme(THEMES.light, 'vs');
      await page.mouse.move(VIEWPORT.width - 50, VIEWPORT.height - 100);
      await assertReadable(expected, THEMES.light);
      await shot('09-tree-light.png');
      await viewShot('09-tree-light-view.png');
    });

    await steps.run(`and in the defaults before them (${THEMES.olderLight}, ${THEMES.olderDark})`, { needs: allRows }, async () => {
      await setTheme(THEMES.olderLight, 'vs');
      await assertReadable(expected, THEMES.olderLight);
      await setTheme(THEMES.olderDark, 'vs-dark');
      await assertReadable(expected, THEMES.olderDark);
    });
  } finally {
    h.usePage(undefined);
    if (wb) await wb.close();
    if (server) await server.stop();
    await mock.close();
  }
}

/** The side bar down to its last row (the README's image): what a person sees of the view at its default width. */
async function viewShot(file) {
  const box = await sidebar().boundingBox();
  const bottom = await sidebar()
    .locator('.monaco-list-row')
    .evaluateAll((rows) => Math.max(...rows.map((r) => r.getBoundingClientRect().bottom)));
  const height = Math.min(box.height, Math.max(120, bottom - box.y + 16));
  await settle(page);
  await page.screenshot({ path: path.join(h.SHOTS, file), clip: { x: box.x, y: box.y, width: box.width, height } });
  console.log(`    saved artifacts/screenshots/${file}`);
}

/** Clears the notifications, as a person would from the palette. */
async function closeToasts() {
  await runCommand('Notifications: Clear All Notifications');
  await expectVisible(toasts(), 'the notifications to go away', T.short, 'hidden');
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
    try {
      await until(async () => (await expanded()) === 'true', 'expanded', 2000);
      return;
    } catch {
      // clicked again below
    }
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
