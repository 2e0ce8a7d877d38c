// The first minute of `npm start`, as a newcomer lives it (used by test/ui/ui.test.js): run scripts/demo.js as
// `npm start` does, open the URL it prints in a browser that never granted clipboard access, and — without pasting
// any token or opening the view first — see the extension at work in the workspace README (status bar, hover,
// editor menu), then check a status from the view's welcome button. Returns the timings (undefined where a step
// did not get there). Its steps run on the caller's Steps (test/ui/steps.js), each declaring the ones it needs.
'use strict';

const { spawn } = require('node:child_process');
const http = require('node:http');
const path = require('node:path');
const { REPO, openWorkbench, freePort, addExitHook } = require('../../scripts/codeServer');
const h = require('./harness');
const { readRows } = require('./readable');
const { Missing, expectVisible } = require('./steps');

const { T, until, shot, sidebar, treeRow, toasts, waitForPrompt } = h;
/** `npm start` builds first (esbuild and tsc) unless told not to: the real first minute includes it. */
const BUILD = !process.env.UI_FIRST_MINUTE_NO_BUILD;

/** Starts scripts/demo.js (npm start) on a free port; resolves once it printed the URL to open. */
async function startDemo(lines) {
  const args = [path.join(REPO, 'scripts/demo.js'), '--port', String(await freePort())];
  if (!BUILD) args.push('--no-build');
  const child = spawn(process.execPath, args, { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const stop = async () => {
    if (child.exitCode === null) child.kill('SIGINT'); // demo.js stops code-server and the mock on SIGINT
    await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
    if (child.exitCode === null) child.kill('SIGKILL');
  };
  addExitHook(stop);
  let buffer = '';
  for (const stream of [child.stdout, child.stderr]) {
    stream.setEncoding('utf8');
    stream.on('data', (d) => {
      buffer += d;
      lines.push(...d.split('\n').filter(Boolean));
    });
  }
  await until(() => /Open in a browser:\s+\S+/.test(buffer) || child.exitCode !== null, 'npm start to print the URL', 240_000);
  const url = (buffer.match(/Open in a browser:\s+(\S+)/) || [])[1];
  if (!url) throw new Missing(`a URL from npm start (it exited ${child.exitCode}):\n${lines.slice(-20).join('\n')}`);
  return { url, stop };
}

function status(url) {
  return new Promise((resolve) => {
    http
      .get(url, (res) => {
        res.resume();
        resolve(res.statusCode);
      })
      .on('error', () => resolve(-1));
  });
}

/** The editor line holding an otp_id in the open README, as a locator. */
const inEditor = (page, otpId) => page.locator('.editor-instance .view-lines .view-line', { hasText: otpId }).first();

/** The middle of an otp_id's characters on screen (a line is rendered in spans that may cut the id in two). */
function idPoint(page, otpId) {
  return page.evaluate((id) => {
    for (const line of document.querySelectorAll('.editor-instance .view-lines .view-line')) {
      const at = (line.textContent || '').indexOf(id);
      if (at < 0) continue;
      const [from, to] = [at + 4, at + 12]; // a few characters inside the id
      const range = document.createRange();
      const walker = document.createTreeWalker(line, NodeFilter.SHOW_TEXT);
      let seen = 0;
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const len = node.textContent.length;
        if (from >= seen && from < seen + len) range.setStart(node, from - seen);
        if (to >= seen && to <= seen + len) {
          range.setEnd(node, to - seen);
          const r = range.getBoundingClientRect();
          return { x: r.x + r.width / 2, y: r.y + r.height / 2 };
        }
        seen += len;
      }
    }
    return undefined;
  }, otpId);
}

/** Rests the mouse on an otp_id of the README until `shown` is visible (a hover wants the mouse to stay put). */
async function hoverId(page, otpId, shown, what) {
  let point;
  for (let attempt = 0; attempt < 5; attempt++) {
    point = await idPoint(page, otpId);
    if (point) {
      await page.mouse.move(point.x, point.y + 250, { steps: 4 }); // off the id (an empty line further down) …
      await page.mouse.move(point.x + attempt, point.y, { steps: 4 }); // … and onto it: a fresh hover
      try {
        await shown.first().waitFor({ state: 'visible', timeout: 4000 });
        return;
      } catch {
        // not yet: move off and on again
      }
    }
  }
  throw new Missing(`${what} did not appear (the id is at ${JSON.stringify(point)})`);
}

async function firstMinute({ steps, viewport, onLog, SCENARIOS }) {
  const t0 = Date.now();
  const seconds = () => (Date.now() - t0) / 1000;
  const timing = { built: BUILD };
  const lines = [];
  let demo;
  let wb;
  let page;
  try {
    const started = await steps.run(
      `npm start${BUILD ? '' : ' --no-build'} prints a URL with its token; without the token the sandbox answers 401`,
      async () => {
        demo = await startDemo(lines);
        timing.urlPrintedS = seconds();
        const url = new URL(demo.url);
        if (!url.searchParams.get('sandbox-token')) throw new Missing(`the sandbox token in the printed URL (${url.pathname}${url.search.slice(0, 30)}…)`);
        if (lines.some((l) => /Token to paste/.test(l))) throw new Missing('no "Token to paste" line (the token is stored already)');
        const bare = `${url.origin}/?folder=${encodeURIComponent(url.searchParams.get('folder') || '')}`;
        const answered = await status(bare);
        if (answered !== 401) throw new Missing(`401 for the URL without its token (got ${answered})`);
      },
    );

    const opened = await steps.run(
      'the printed URL opens the workbench with the workspace README: no login, no token to paste',
      { needs: [started] },
      async () => {
        wb = await openWorkbench({ url: demo.url, viewport, clipboard: false, waitForWorkbench: false, onLog });
        page = wb.page;
        h.usePage(page);
        await expectVisible(page.locator('.tabs-container .tab', { hasText: 'README.txt' }), 'the README.txt editor tab', T.long);
        await expectVisible(inEditor(page, SCENARIOS.approved), 'the approved otp_id in the README', T.long);
        timing.pageOpenedS = seconds();
      },
    );

    await steps.run('before the view ever opened: the profile in the status bar, the hover and the editor menu on an otp_id', { needs: [opened] }, async () => {
      await expectVisible(page.locator('.part.statusbar', { hasText: 'D7: default' }), 'the "D7: default" profile item (activated at startup)', T.long);
      if (await sidebar().locator('.title-label', { hasText: 'OTP Status' }).count()) throw new Missing('a window in which the view was never opened');
      const hover = page.locator('.monaco-hover', { hasText: 'Not checked yet' });
      await hoverId(page, SCENARIOS.expired, hover, 'the D7 OTP hover ("Not checked yet", Check status) on the expired otp_id');
      await expectVisible(hover.locator('a', { hasText: 'Check status' }), 'the hover\'s "Check status" link', T.short);
      await shot('10-first-minute-hover.png');
      await page.keyboard.press('Escape');
      const point = await idPoint(page, SCENARIOS.approved);
      await page.mouse.click(point.x, point.y, { button: 'right' });
      await expectVisible(page.locator('.context-view .action-label', { hasText: 'Check OTP Status' }), 'the editor menu item "Check OTP Status"', T.short);
      await page.keyboard.press('Escape');
    });

    const firstStatus = await steps.run(
      'the first status: the welcome offers Check Status (the token is stored), the check shows APPROVED, no clipboard toast',
      { needs: [opened] },
      async () => {
        await h.openView();
        const welcome = sidebar().locator('.welcome-view-content');
        await expectVisible(welcome.locator('.monaco-button', { hasText: 'Check Status' }), 'the "Check Status" welcome button (a token is stored)');
        if (await welcome.locator('.monaco-button', { hasText: 'Set API Token' }).count()) throw new Missing('no "Set API Token" button (no token to paste)');
        await welcome.locator('.monaco-button', { hasText: 'Check Status' }).first().click();
        await waitForPrompt('otp_id', 'the "Check Status" otp_id prompt');
        await page.keyboard.type(SCENARIOS.approved, { delay: 5 });
        await page.keyboard.press('Enter');
        await expectVisible(treeRow(SCENARIOS.approved).filter({ hasText: 'APPROVED' }), 'the APPROVED row');
        timing.firstStatusS = seconds();
        const row = (await readRows(page)).find((r) => r.level === 1 && r.label.includes(SCENARIOS.approved));
        if (!row || row.word !== 'APPROVED' || !row.inside) throw new Missing(`the status word APPROVED whole in its row (${JSON.stringify(row)})`);
        const clipboardToasts = (await toasts().allInnerTexts()).filter((t) => /clipboard/i.test(t));
        if (clipboardToasts.length) throw new Missing(`no clipboard toast; saw ${JSON.stringify(clipboardToasts)}`);
        await page.mouse.move(viewport.width - 50, viewport.height / 2);
        await shot('11-first-minute-status.png');
      },
    );

    // Its proof is the row in the view that the first-status step opened.
    await steps.run('Ctrl+Shift+Alt+D on an otp_id in the README checks it (the keybinding in the editor)', { needs: [firstStatus] }, async () => {
      const point = await idPoint(page, SCENARIOS.expired);
      const line = await page.evaluate((y) => {
        for (const n of document.querySelectorAll('.editor-instance .line-numbers')) {
          const r = n.getBoundingClientRect();
          if (y >= r.top && y <= r.bottom) return n.textContent.trim();
        }
        return undefined;
      }, point.y);
      await page.mouse.click(point.x, point.y); // the cursor on the id, the focus in the editor
      await until(
        async () => (await page.locator('.part.statusbar').innerText()).includes(`Ln ${line},`),
        `the cursor on line ${line} (the expired id)`,
        T.short,
      );
      await page.keyboard.press('Control+Shift+Alt+D');
      await expectVisible(treeRow(SCENARIOS.expired).filter({ hasText: 'EXPIRED' }), 'the EXPIRED row from the keybinding');
    });
  } finally {
    h.usePage(undefined);
    if (wb) await wb.close();
    if (demo) await demo.stop();
  }
  return timing;
}

module.exports = { firstMinute };
