/** The UI runners' step runner (test/ui/steps.js): every step's result is reported, dependents of a failure say so. */
import * as assert from 'node:assert/strict';
import * as os from 'node:os';
import * as path from 'node:path';

interface StepHandle {
  name: string;
  status: 'passed' | 'failed' | 'skipped';
}
interface StepsRunner {
  run(name: string, options: { needs?: StepHandle[] } | (() => Promise<void>), fn?: () => Promise<void>): Promise<StepHandle>;
  finish(): number;
}
type StepsModule = {
  Steps: new (o: { tag: string; shots: string; page: () => unknown; recover?: () => Promise<void> }) => StepsRunner;
  Missing: new (message: string) => Error;
  runCommand(page: unknown, title: string, o?: { timeout?: number; attemptMs?: number; log?: (line: string) => void }): Promise<void>;
};

// Plain JavaScript beside the UI runners (not compiled): loaded from the source tree.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { Steps, Missing, runCommand } = require(path.join(__dirname, '../../../test/ui/steps.js')) as StepsModule;

/** Runs `body` with console.log captured; returns what it printed, line by line. */
async function printed(body: () => Promise<void>): Promise<string[]> {
  const lines: string[] = [];
  const log = console.log;
  console.log = (...args: unknown[]) => void lines.push(...args.map(String).join(' ').split('\n'));
  try {
    await body();
  } finally {
    console.log = log;
  }
  return lines;
}

function runner(recovered: string[] = []): StepsRunner {
  const page = { screenshot: async () => undefined };
  return new Steps({ tag: 'ui:test', shots: os.tmpdir(), page: () => page, recover: async () => void recovered.push('recover') });
}

describe('test/ui/steps.js: the UI runners report every step', () => {
  it('a failed step does not stop the independent steps after it; each result is printed and counted', async () => {
    const recovered: string[] = [];
    const steps = runner(recovered);
    const ran: string[] = [];
    let code = -1;
    const out = await printed(async () => {
      await steps.run('one', async () => void ran.push('one'));
      await steps.run('two', async () => {
        ran.push('two');
        throw new Missing('the thing did not appear within 1s');
      });
      await steps.run('three', async () => void ran.push('three'));
      code = steps.finish();
    });
    assert.deepEqual(ran, ['one', 'two', 'three']);
    assert.deepEqual(recovered, ['recover'], 'the page is put back after the failure, before the next step');
    assert.ok(out.some((l) => /✘ two/.test(l)));
    assert.ok(out.some((l) => l.includes('the thing did not appear within 1s')));
    assert.ok(out.some((l) => /✔ three/.test(l)));
    assert.equal(out.at(-1), 'ui:test: 2 passed, 1 failed, 0 skipped');
    assert.equal(code, 1);
  });

  it('a step that needs a failed step is skipped and says which one it needed; so is a step that needs a skipped one', async () => {
    const steps = runner();
    const ran: string[] = [];
    const out = await printed(async () => {
      const token = await steps.run('the token is stored', async () => {
        throw new Error('no password box');
      });
      const tree = await steps.run('the tree shows a row', { needs: [token] }, async () => void ran.push('tree'));
      await steps.run('a row expands', { needs: [tree] }, async () => void ran.push('expand'));
      await steps.run('the palette opens', async () => void ran.push('palette'));
      steps.finish();
    });
    assert.deepEqual(ran, ['palette'], 'only the independent step ran');
    assert.ok(out.includes('    skipped: needs "the token is stored", which failed'), out.join('\n'));
    assert.ok(out.includes('    skipped: needs "the tree shows a row", which was skipped'), out.join('\n'));
    assert.equal(out.at(-1), 'ui:test: 1 passed, 1 failed, 2 skipped');
  });

  it('exits 0 only when every step passed (and at least one ran)', async () => {
    const codes: number[] = [];
    await printed(async () => {
      const ok = runner();
      await ok.run('one', async () => undefined);
      codes.push(ok.finish());
      codes.push(runner().finish());
    });
    assert.deepEqual(codes, [0, 1]);
  });
});

/** A command palette that lists `rows` for any input, the first one highlighted; Enter records the highlighted one. */
function palette(rows: string[]) {
  const state = { open: false, focused: 0, value: '', ran: [] as string[] };
  const locator = (selector: string) => {
    const self = {
      first: () => self,
      waitFor: async () => {
        if (!state.open) throw new Error('closed');
      },
      fill: async (v: string) => void (state.value = v),
      inputValue: async () => state.value,
      innerText: async () => (selector.includes('.focused') ? `${rows[state.focused]}\nrecently used` : ''),
      allInnerTexts: async () => rows,
    };
    return self;
  };
  const keys: Record<string, () => void> = {
    F1: () => void Object.assign(state, { open: true, focused: 0 }),
    Escape: () => void (state.open = false),
    ArrowDown: () => void (state.focused = (state.focused + 1) % rows.length),
    Enter: () => void state.ran.push(rows[state.focused]),
  };
  return { state, page: { locator, keyboard: { press: async (k: string) => keys[k]?.() } } };
}

describe('test/ui/steps.js: runCommand runs the entry named by the title', () => {
  it('a longer title that holds this one, highlighted first, is passed by: the exact entry runs', async () => {
    const { state, page } = palette(['D7 OTP: Check Status of All IDs in Selection/File', 'View: Toggle', 'D7 OTP: Check Status']);
    await runCommand(page, 'D7 OTP: Check Status', { log: () => undefined });
    assert.deepEqual(state.ran, ['D7 OTP: Check Status']);
  });

  it('a title without its category matches the entry "<category>: <title>"', async () => {
    const { state, page } = palette(['D7 OTP: Focus on OTP Status View']);
    await runCommand(page, 'Focus on OTP Status View', { log: () => undefined });
    assert.deepEqual(state.ran, ['D7 OTP: Focus on OTP Status View']);
  });

  it('when no entry is the title, it fails and runs nothing', async () => {
    const { state, page } = palette(['D7 OTP: Check Status of All IDs in Selection/File']);
    await assert.rejects(
      runCommand(page, 'D7 OTP: Check Status', { log: () => undefined }),
      (e: Error) => e instanceof Missing && /highlighted/.test(e.message),
    );
    assert.deepEqual(state.ran, []);
  });
});
