// The UI tests' waits, screenshots and person-like actions on one workbench page (test/ui/ui.test.js and
// test/ui/firstMinute.js). The steps themselves, and running a palette command, are test/ui/steps.js's.
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const { REPO } = require('../../scripts/codeServer');
const { Missing, expectVisible, settle } = require('./steps');

const SHOTS = path.join(REPO, 'artifacts', 'screenshots');
const T = { short: 10_000, normal: 20_000, long: 60_000 };
/** The page the helpers act on (set by the test). */
let page;

function usePage(p) {
  page = p;
}

/** The page the helpers act on, or undefined before the workbench opened (for Steps' `page`). */
const currentPage = () => page;

/** Waits until `predicate()` (async) holds, polling; throws Missing(what) after `timeout`. */
async function until(predicate, what, timeout = T.normal) {
  const deadline = Date.now() + timeout;
  for (;;) {
    if (await predicate()) return;
    if (Date.now() > deadline) throw new Missing(`${what} did not happen within ${timeout / 1000}s`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Prints the notifications on screen (after a failed step: they often say why). */
async function describeNotifications() {
  const notes = page
    ? await page
        .locator('.notification-list-item')
        .allInnerTexts()
        .catch(() => [])
    : [];
  if (notes.length) console.log(`    notifications on screen: ${notes.map((n) => JSON.stringify(n.replace(/\s+/g, ' ').trim())).join(', ')}`);
}

/** Saves a screenshot of the page (or of `locator`) once nothing on it moves. */
async function shot(file, locator) {
  await settle(page);
  await (locator || page).screenshot({ path: path.join(SHOTS, file) });
  console.log(`    saved artifacts/screenshots/${file}`);
}

// ---------- helpers that act like a person ----------
const quickInput = () => page.locator('.quick-input-widget');
const quickInputBox = () => page.locator('.quick-input-widget .quick-input-box input');
const sidebar = () => page.locator('.part.sidebar');
const treeRow = (text) => sidebar().locator('.monaco-list-row', { hasText: text });
const toasts = () => page.locator('.notification-toast');

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
  usePage,
  currentPage,
  until,
  describeNotifications,
  shot,
  quickInput,
  quickInputBox,
  sidebar,
  treeRow,
  toasts,
  waitForPrompt,
  openView,
  sidebarWidth,
  prepareShots,
};
