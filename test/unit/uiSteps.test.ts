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
};

// Plain JavaScript beside the UI runners (not compiled): loaded from the source tree.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { Steps, Missing } = require(path.join(__dirname, '../../../test/ui/steps.js')) as StepsModule;

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
