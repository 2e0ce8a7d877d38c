#!/usr/bin/env node
// UI test of the terminal links (issue 14): a real integrated terminal in the real workbench (code-server, headless
// chromium via playwright-core) prints an otp_id; the mouse hovers it (the link appears, with its tooltip) and
// Ctrl+clicks it; the extension's quick pick offers Check Status / Watch / Copy; Check Status asks for the token
// (none is set yet), then shows the result in the OTP Status view. Nothing but the terminal has activated the
// extension before the hover: the link is there because the extension starts after startup. 1280×800 window, side
// bar at its default width. Screenshots in artifacts/screenshots/:
//   terminal-01-link-hover.png   the otp_id underlined in the terminal, the link's hover
//   terminal-02-quick-pick.png   the quick pick after Ctrl+click
//   terminal-03-checked.png      the OTP Status view with the id's status, the terminal below
// Every step's result is reported (test/ui/steps.js): a failed step skips only the steps that need it, and they say
// so. Closes with `ui:terminal: N passed, N failed, N skipped`.
//
//   node test/ui/terminal.test.js    (part of npm run test:ui; needs `npm run build && npm run compile:tests`)
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const { REPO, startCodeServer, openWorkbench, cleanLogLine, runExitHooks } = require('../../scripts/codeServer');
const { Steps, Missing, expectVisible, settle, runCommand } = require('./steps');

const SHOTS = path.join(REPO, 'artifacts', 'screenshots');
const WORKSPACE = path.join(REPO, 'test/fixtures/workspace');
const VIEWPORT = { width: 1280, height: 800 };
const T = { normal: 20_000, long: 60_000 };

let page;
const steps = new Steps({
  tag: 'ui:terminal',
  shots: SHOTS,
  failPrefix: 'terminal-',
  page: () => page,
  recover: async () => {
    await page.keyboard.up('Control');
    await page.keyboard.press('Escape');
  },
});

async function shot(file) {
  await settle(page);
  await page.screenshot({ path: path.join(SHOTS, file) });
  console.log(`    saved artifacts/screenshots/${file}`);
}

/** The centre of `text` where the terminal's DOM renderer drew it in its last row holding it. */
async function textCentre(text) {
  return page.evaluate((wanted) => {
    const rows = [...document.querySelectorAll('.terminal .xterm-rows > div')].filter((r) => r.textContent.includes(wanted));
    const row = rows[rows.length - 1];
    if (!row) return undefined;
    const walker = document.createTreeWalker(row, NodeFilter.SHOW_TEXT);
    let seen = '';
    const nodes = [];
    for (let n = walker.nextNode(); n; n = walker.nextNode()) (nodes.push([n, seen.length]), (seen += n.textContent));
    const start = seen.indexOf(wanted);
    const middle = start + Math.floor(wanted.length / 2);
    const [node, offset] = nodes.filter(([, at]) => at <= middle).pop();
    const range = document.createRange();
    range.setStart(node, middle - offset);
    range.setEnd(node, middle - offset + 1);
    const box = range.getBoundingClientRect();
    return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
  }, text);
}

async function main() {
  fs.mkdirSync(SHOTS, { recursive: true });
  for (const f of fs.readdirSync(SHOTS)) if (f.startsWith('terminal-') || f.startsWith('FAIL-terminal-')) fs.rmSync(path.join(SHOTS, f));
  const mockModule = path.join(REPO, 'out/test/mock/server.js');
  for (const f of [mockModule, path.join(REPO, 'dist/extension.js')]) {
    if (!fs.existsSync(f)) {
      console.error(`[ui:terminal] missing ${path.relative(REPO, f)}: run \`npm run build && npm run compile:tests\` first`);
      return 1;
    }
  }
  const { startMockServer, MOCK_TOKEN, SCENARIOS } = require(mockModule);
  const otpId = SCENARIOS.approved;
  const mock = await startMockServer();
  let server;
  try {
    server = await startCodeServer({
      userSettings: {
        'd7otp.baseUrl': mock.url,
        // The DOM renderer draws text as elements the test can find; the default (WebGL) draws pixels.
        'terminal.integrated.gpuAcceleration': 'off',
        'terminal.integrated.defaultProfile.linux': 'bash',
        'terminal.integrated.shellIntegration.enabled': false,
      },
      linkExtension: REPO,
      smokeTestDriver: false,
      workspace: WORKSPACE,
    });

    const loaded = await steps.run('workbench loads (the D7 OTP view is not opened)', async () => {
      const wb = await openWorkbench({
        url: server.url,
        viewport: VIEWPORT,
        waitForWorkbench: false,
        onLog: (_type, raw) => {
          const line = cleanLogLine(raw);
          if (line && process.env.VERBOSE) console.log(`    [workbench] ${line}`);
        },
      });
      page = wb.page;
      await expectVisible(page.locator('.monaco-workbench'), 'the workbench', T.long);
      await expectVisible(page.locator('.part.statusbar'), 'the status bar', T.long);
    });

    const printed = await steps.run('a terminal prints an otp_id', { needs: [loaded] }, async () => {
      // Offered once the terminal's process support is known (late on a slow machine): runCommand asks again until then.
      await runCommand(page, 'Terminal: Create New Terminal', { timeout: T.long });
      await expectVisible(page.locator('.terminal .xterm-rows'), 'the terminal', T.long);
      await expectVisible(page.locator('.terminal .xterm-rows > div', { hasText: /[#$]\s*$/ }), "the shell's prompt", T.long);
      // The typed command holds the id in two halves; only the program's output holds it whole.
      const [head, tail] = [otpId.slice(0, 18), otpId.slice(19)];
      await page.keyboard.type(`printf '[auth] sign-in failed: otp_id=%s-%s (code rejected)\\n' ${head} ${tail}`, { delay: 5 });
      await page.keyboard.press('Enter');
      await expectVisible(page.locator('.terminal .xterm-rows > div', { hasText: `otp_id=${otpId}` }), 'the printed otp_id', T.normal);
    });

    await steps.run('hovering the otp_id shows the link', { needs: [printed] }, async () => {
      const at = await textCentre(otpId);
      if (!at) throw new Missing('the otp_id on screen');
      await page.mouse.move(at.x - 30, at.y);
      await page.mouse.move(at.x, at.y, { steps: 5 });
      await expectVisible(
        page.locator('.workbench-hover, .monaco-hover', { hasText: 'D7 OTP' }),
        'the link hover "D7 OTP: check status, watch or copy"',
        T.normal,
      );
      await shot('terminal-01-link-hover.png');
    });

    const picked = await steps.run('Ctrl+click opens the quick pick: Check Status, Watch Status, Copy otp_id', { needs: [printed] }, async () => {
      const at = await textCentre(otpId);
      if (!at) throw new Missing('the otp_id on screen');
      await page.keyboard.down('Control');
      await page.mouse.click(at.x, at.y);
      await page.keyboard.up('Control');
      const widget = page.locator('.quick-input-widget', { hasText: `D7 OTP ${otpId}` });
      await expectVisible(widget, `the quick pick titled "D7 OTP ${otpId}"`);
      for (const label of ['Check Status', 'Watch Status', 'Copy otp_id']) {
        await expectVisible(widget.locator('.monaco-list-row', { hasText: label }), `the "${label}" item`);
      }
      await shot('terminal-02-quick-pick.png');
    });

    await steps.run('Check Status asks for the token, then shows APPROVED in the OTP Status view', { needs: [picked] }, async () => {
      await page.locator('.quick-input-widget .monaco-list-row', { hasText: 'Check Status' }).first().click();
      const setToken = page.locator('.notifications-toasts .monaco-button', { hasText: 'Set API Token' });
      await expectVisible(setToken, 'the "Set API Token" button of the no-token warning');
      await setToken.first().click();
      await expectVisible(page.locator('.quick-input-widget input[type="password"]'), 'the token box');
      await page.keyboard.type(MOCK_TOKEN, { delay: 0 });
      await page.keyboard.press('Enter');
      const row = page.locator('.part.sidebar .monaco-list-row', { hasText: otpId });
      await expectVisible(row, 'the tree row of the otp_id', T.normal);
      await expectVisible(row.locator('.codicon-pass-filled'), 'the APPROVED icon on its row');
      await expectVisible(row, 'APPROVED on the row').then(async () => {
        if (!(await row.first().innerText()).includes('APPROVED')) throw new Missing('the text APPROVED on the row');
      });
      await page.mouse.move(VIEWPORT.width - 40, 60);
      await shot('terminal-03-checked.png');
      if (mock.requests.length !== 1) throw new Error(`the mock got ${mock.requests.length} requests, expected 1`);
    });
    return 0;
  } finally {
    await runExitHooks();
    await mock.close();
  }
}

main()
  .then((code) => {
    process.exitCode = code || steps.finish();
  })
  .catch(async (e) => {
    console.error('[ui:terminal] could not run:', e && e.stack ? e.stack : e);
    await runExitHooks();
    steps.finish();
    process.exitCode = 1;
  });
