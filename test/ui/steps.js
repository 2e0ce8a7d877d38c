// The UI runners' steps (test/ui/*.test.js): every step's result is reported. A failed step does not hide the
// ones after it: they still run, unless they declared that they need it (`needs`), and then they say so
// ("skipped: needs …, which failed"). The closing line is `<tag>: N passed, N failed, N skipped`; the exit code is 1
// when anything failed or was skipped.
//
//   const steps = new Steps({ tag: 'ui', shots: SHOTS, page: () => page, recover: () => page.keyboard.press('Escape') });
//   const loaded = await steps.run('workbench loads', async () => { … });
//   const token = await steps.run('the token is stored', { needs: [loaded] }, async () => { … });
//   …
//   process.exitCode = steps.finish();
'use strict';

const path = require('node:path');

/** A failed wait, with a description of the element that did not appear (printed without a stack). */
class Missing extends Error {}

/** Waits for `locator` (state visible unless given) or throws Missing(what). */
async function expectVisible(locator, what, timeout = 20_000, state = 'visible') {
  try {
    await locator.first().waitFor({ state, timeout });
  } catch {
    throw new Missing(`${what} did not ${state === 'hidden' ? 'go away' : 'appear'} within ${timeout / 1000}s`);
  }
}

/**
 * Waits until the page is still: no finite CSS animation or transition running (a hover fading in, a list
 * scrolling, a notification sliding) — spinners, which never end, do not count — and two frames painted.
 */
async function settle(page, timeout = 5_000) {
  await page.waitForFunction(
    () =>
      document.getAnimations().every((a) => a.playState !== 'running' || a.effect?.getComputedTiming().endTime === Infinity) &&
      new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve(true)))),
    undefined,
    { timeout, polling: 50 },
  );
}

/**
 * Runs `title` from the command palette (F1) and returns after Enter. The palette offers a command only while its
 * precondition holds, and reads the preconditions when its list is built: "Terminal: Create New Terminal" needs the
 * terminal's process support, a context key the workbench sets only once its terminal service started, which on a
 * slow fresh machine can be well after the workbench is drawn. And keys typed before the palette's input has focus
 * go elsewhere. So the title is put into the input (and checked there), and when the entry is not offered within a
 * few seconds the palette is closed and asked again, until `timeout`. A late offer is logged with the attempt count.
 */
async function runCommand(page, title, { timeout = 20_000, attemptMs = 4_000, log = (line) => console.log(`    ${line}`) } = {}) {
  const started = Date.now();
  const input = page.locator('.quick-input-widget .quick-input-box input');
  const entry = page.locator('.quick-input-list .monaco-list-row', { hasText: title });
  const seen = [];
  for (let attempt = 1; ; attempt++) {
    await page.keyboard.press('Escape');
    await page.keyboard.press('F1');
    await expectVisible(input, 'the command palette');
    await input.fill(`>${title}`);
    const value = await input.inputValue();
    if (value !== `>${title}`) seen.push(`input held ${JSON.stringify(value)}`);
    const left = timeout - (Date.now() - started);
    const offered = await entry
      .first()
      .waitFor({ state: 'visible', timeout: Math.max(500, Math.min(attemptMs, left)) })
      .then(() => true)
      .catch(() => false);
    if (offered) {
      if (attempt > 1) log(`the palette offered "${title}" at attempt ${attempt}, after ${((Date.now() - started) / 1000).toFixed(1)}s (${seen.join('; ')})`);
      // Enter runs the highlighted entry, which a recently used or longer title holding this one can be
      // ("D7 OTP: Check Status of All IDs…"): the entry whose label is the title (or `<category>: <title>`, as the
      // view's "Focus on … View" is) is highlighted by the arrows.
      const focused = page.locator('.quick-input-list .monaco-list-row.focused');
      const text = () => focused.innerText({ timeout: 1_000 }).catch(() => '');
      const isTitle = async () => (await text()).split('\n').some((l) => l.trim() === title || l.trim().endsWith(`: ${title}`));
      for (let i = 0; i < 10 && !(await isTitle()); i++) await page.keyboard.press('ArrowDown');
      if (!(await isTitle())) throw new Missing(`the palette entry "${title}" highlighted (it is ${JSON.stringify(await text())})`);
      await page.keyboard.press('Enter');
      return;
    }
    const rows = await page.locator('.quick-input-list .monaco-list-row').allInnerTexts();
    seen.push(`attempt ${attempt}: ${rows.length ? `${rows.length} other entries` : 'no matching command'}`);
    if (Date.now() - started >= timeout) {
      throw new Missing(`the palette entry "${title}" was not offered within ${timeout / 1000}s (${seen.join('; ')})`);
    }
  }
}

const fileName = (name) => name.replace(/[^a-z0-9]+/gi, '-').replace(/^-|-$/g, '');

class Steps {
  /**
   * @param {object} o
   * @param {string} o.tag  printed before the closing line (`ui`, `ui:terminal`)
   * @param {string} o.shots  folder for the screenshot of a failed step: FAIL-<failPrefix><step>.png
   * @param {string} [o.failPrefix]  e.g. `terminal-`
   * @param {() => object | undefined} o.page  the playwright page (undefined before the workbench opened)
   * @param {() => Promise<void>} [o.describeFailure]  prints what else helps to read a failure (notifications on screen)
   * @param {() => Promise<void>} [o.recover]  run after a failed step, so the next independent one starts clean
   */
  constructor(o) {
    this.o = o;
    this.results = [];
    this.t0 = Date.now();
  }

  since() {
    return `${((Date.now() - this.t0) / 1000).toFixed(1)}s`;
  }

  /**
   * Runs one step, unless a step it needs did not pass. Never throws: returns the step's handle
   * `{ name, status: 'passed' | 'failed' | 'skipped' }`, to be named in later steps' `needs`.
   */
  async run(name, options, fn) {
    if (typeof options === 'function') [options, fn] = [{}, options];
    const needs = options.needs ?? [];
    const step = { name, status: 'skipped' };
    this.results.push(step);
    const missing = needs.filter((n) => n.status !== 'passed');
    if (missing.length) {
      const why = missing.map((n) => `"${n.name}", which ${n.status === 'failed' ? 'failed' : 'was skipped'}`).join(', and ');
      console.log(`  - ${name}\n    skipped: needs ${why}`);
      return step;
    }
    try {
      await fn();
      step.status = 'passed';
      console.log(`  ✔ ${name} (${this.since()})`);
    } catch (e) {
      step.status = 'failed';
      console.log(`  ✘ ${name} (${this.since()})`);
      const page = this.o.page();
      if (page) {
        const shot = path.join(this.o.shots, `FAIL-${this.o.failPrefix ?? ''}${fileName(name)}.png`);
        await page.screenshot({ path: shot }).catch(() => {});
        if (this.o.describeFailure) await this.o.describeFailure().catch(() => {});
        console.log(`    ${e instanceof Missing ? e.message : e && e.stack ? e.stack : e}`);
        console.log(`    screenshot: ${path.relative(path.resolve(__dirname, '../..'), shot)}`);
        if (this.o.recover) await this.o.recover().catch(() => {});
      } else console.log(`    ${e instanceof Missing ? e.message : e && e.stack ? e.stack : e}`);
    }
    return step;
  }

  count(status) {
    return this.results.filter((s) => s.status === status).length;
  }

  /** Prints the closing line; returns the exit code (1 when a step failed or was skipped, or none ran). */
  finish(extra) {
    const [passed, failed, skipped] = ['passed', 'failed', 'skipped'].map((s) => this.count(s));
    if (extra) console.log(`\n[${this.o.tag}] ${extra}`);
    console.log(`\n[${this.o.tag}] finished after ${this.since()}`);
    console.log(`${this.o.tag}: ${passed} passed, ${failed} failed, ${skipped} skipped`);
    return failed || skipped || passed === 0 ? 1 : 0;
  }
}

module.exports = { Steps, Missing, expectVisible, settle, runCommand };
