// The UI tests' steps, waits, screenshots and person-like actions on one workbench page (test/ui/*.test.js).
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const { REPO } = require('../../scripts/codeServer');

const SHOTS = path.join(REPO, 'artifacts', 'screenshots');
const T = { short: 10_000, normal: 20_000, long: 60_000 };
const t0 = Date.now();
const since = () => `${((Date.now() - t0) / 1000).toFixed(1)}s`;
const counts = { passed: 0, failed: 0 };
/** The page the helpers act on (set by the test). */
let page;

/** A failed wait, with a description of the element that did not appear. */
class Missing extends Error {}

function usePage(p) {
  page = p;
}

/** Waits for `locator` (state visible unless given) or throws Missing(what). */
async function expectVisible(locator, what, timeout = T.normal, state = 'visible') {
  try {
    await locator.first().waitFor({ state, timeout });
  } catch {
    throw new Missing(`${what} did not ${state === 'hidden' ? 'go away' : 'appear'} within ${timeout / 1000}s`);
  }
}

/** Waits until `predicate()` (async) holds, polling; throws Missing(what) after `timeout`. */
async function until(predicate, what, timeout = T.normal) {
  const deadline = Date.now() + timeout;
  for (;;) {
    if (await predicate()) return;
    if (Date.now() > deadline) throw new Missing(`${what} did not happen within ${timeout / 1000}s`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function step(name, fn) {
  try {
    await fn();
    counts.passed++;
    console.log(`  ✔ ${name} (${since()})`);
  } catch (e) {
    counts.failed++;
    const file = path.join(SHOTS, `FAIL-${name.replace(/[^a-z0-9]+/gi, '-').replace(/^-|-$/g, '')}.png`);
    if (page) await page.screenshot({ path: file }).catch(() => {});
    console.log(`  ✘ ${name} (${since()})`);
    const notes = page
      ? await page
          .locator('.notification-list-item')
          .allInnerTexts()
          .catch(() => [])
      : [];
    if (notes.length) console.log(`    notifications on screen: ${notes.map((n) => JSON.stringify(n.replace(/\s+/g, ' ').trim())).join(', ')}`);
    console.log(`    ${e instanceof Missing ? e.message : e && e.stack ? e.stack : e}`);
    console.log(`    screenshot: ${path.relative(REPO, file)}`);
    throw e;
  }
}

async function shot(file, locator) {
  await page.waitForTimeout(400); // let hover/animation settle
  await (locator || page).screenshot({ path: path.join(SHOTS, file) });
  console.log(`    saved artifacts/screenshots/${file}`);
}

// ---------- helpers that act like a person ----------
const quickInput = () => page.locator('.quick-input-widget');
const quickInputBox = () => page.locator('.quick-input-widget .quick-input-box input');
const sidebar = () => page.locator('.part.sidebar');
const treeRow = (text) => sidebar().locator('.monaco-list-row', { hasText: text });
const toasts = () => page.locator('.notification-toast');

/** F1, type the command title, pick it, Enter. */
async function runCommand(title) {
  await page.keyboard.press('Escape'); // close any open quick input / hover first
  await page.keyboard.press('F1');
  await expectVisible(quickInputBox(), 'the command palette');
  await page.keyboard.type(title, { delay: 10 });
  const entry = page.locator('.quick-input-list .monaco-list-row', { hasText: title });
  await expectVisible(entry, `the palette entry "${title}"`);
  // Enter runs the highlighted entry, which a recently used or better-ranked command can be: then pick it by arrows.
  const focused = page.locator('.quick-input-list .monaco-list-row.focused');
  for (let i = 0; i < 10 && !(await focused.innerText().catch(() => '')).includes(title); i++) await page.keyboard.press('ArrowDown');
  if (!(await focused.innerText().catch(() => '')).includes(title)) throw new Missing(`the palette entry "${title}" highlighted`);
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

/** Clicks the activity bar's D7 OTP icon and waits for the view's title. */
async function openView() {
  const icon = page.locator('.part.activitybar .action-item a[aria-label^="D7 OTP"], .part.activitybar .action-item [aria-label^="D7 OTP"]');
  await expectVisible(icon, 'the "D7 OTP" activity-bar icon', T.long);
  await icon.first().click();
  // A container with one view shows it as the side bar title "D7 OTP: OTP Status" (no separate pane header).
  await expectVisible(sidebar().locator('.composite.title .title-label, .pane-header', { hasText: 'OTP Status' }), 'the "OTP Status" view title');
}

/** The side bar's width: the default layout is asserted, never changed. */
async function sidebarWidth() {
  const box = await sidebar().boundingBox();
  return box ? Math.round(box.width) : 0;
}

function prepareShots() {
  fs.mkdirSync(SHOTS, { recursive: true });
  for (const f of fs.readdirSync(SHOTS)) if (f.endsWith('.png')) fs.rmSync(path.join(SHOTS, f));
}

module.exports = {
  SHOTS,
  T,
  Missing,
  counts,
  since,
  usePage,
  expectVisible,
  until,
  step,
  shot,
  quickInput,
  quickInputBox,
  sidebar,
  treeRow,
  toasts,
  runCommand,
  waitForPrompt,
  openView,
  sidebarWidth,
  prepareShots,
};
