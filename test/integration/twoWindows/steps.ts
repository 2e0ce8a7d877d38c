/**
 * Two real windows over one user's storage: two workbench pages on one code-server, each with its own extension host
 * (scripts/test-two-windows.js opens them; `D7OTP_WINDOW` says which one this is). Both check 200 distinct otp_ids
 * at the same moment while watches run, and must then show all 400 with every check; a removal and a Clear in one
 * are seen by the other and never come back; window A reloads in the middle of a burst and nothing it reported is
 * lost; both clear at once; a third window opened afterwards shows the same history.
 */
import * as assert from 'node:assert/strict';
import * as sinon from 'sinon';
import * as vscode from 'vscode';
import type { D7OtpInspectorApi, Internals } from '../../../src/api';
import type { HistoryEntry, StatusCheck } from '../../../src/core/check';
import { mark, marked, plan, report, reported, role, startTogether, until, waitMark, type Reported } from './control';

type Api = D7OtpInspectorApi & { internals: Internals };
let api: Api;
const other = () => (role() === 'a' ? 'b' : 'a');
const history = (): readonly HistoryEntry[] => api.getHistory();
const key = (c: Reported) => `${c.otpId.toLowerCase()}|${Date.parse(c.checkedAt)}`;

/** The reported checks the history does not hold. */
function missing(checks: readonly Reported[]): Reported[] {
  const held = new Set<string>();
  for (const e of history()) for (const c of e.checks) held.add(key(c));
  return checks.filter((c) => !held.has(key(c)));
}

const ids = () => new Set(history().map((e) => e.otpId.toLowerCase()));
const lower = (values: readonly string[]) => new Set(values.map((v) => v.toLowerCase()));

async function checkOne(otpId: string): Promise<StatusCheck> {
  const result = await vscode.commands.executeCommand<StatusCheck>('d7otp.checkStatus', otpId);
  assert.ok(result?.ok, `${otpId} was checked: ${JSON.stringify(result?.error)}`);
  return result;
}

/** Bulk Check Status of `otpIds`, its "Check N otp_ids?" question answered yes. */
async function checkMany(otpIds: string[]): Promise<StatusCheck[]> {
  const stub = sinon.stub(vscode.window, 'showWarningMessage').callsFake(((_text: string, _options: unknown, go: string) => Promise.resolve(go)) as never);
  try {
    return (await vscode.commands.executeCommand<StatusCheck[]>('d7otp.checkAllInSelection', otpIds)) ?? [];
  } finally {
    stub.restore();
  }
}

/** Every check both windows reported so far, but those of the otp_ids removed in step 2. */
function expectedChecks(): Reported[] {
  const removed = marked('removed') ? lower(plan().ids.b.slice(0, 1).concat(plan().ids.a.slice(0, 1))) : new Set<string>();
  const all = ['checked-a', 'checked-b', 'after-removal-b', 'burst-a', 'burst-b'].flatMap((list) => reported(list));
  return all.filter((c) => !removed.has(c.otpId.toLowerCase()));
}

before(async function () {
  this.timeout(120_000);
  const ext = vscode.extensions.getExtension<Api>('d7-otp-inspector.d7-otp-inspector');
  assert.ok(ext);
  api = await ext.activate();
  await api.internals.history.ready;
  assert.equal(await vscode.commands.executeCommand('d7otp.setToken', plan().token), true);
  await vscode.commands.executeCommand('d7otp.history.focus'); // the view open, as a person has it
});

describe(`two windows (window ${role()})`, function () {
  this.timeout(240_000);
  const firstRun = !marked('a.reloading');

  if (role() === 'b' || (role() === 'a' && firstRun)) {
    it('two windows: 200 distinct ids each at the same moment while watches run; both then show all 400 with every check', async () => {
      const watches = plan().watch[role() as 'a' | 'b'].map((id) => api.watch(id));
      try {
        await startTogether('burst1');
        const results = await checkMany(plan().ids[role() as 'a' | 'b']);
        assert.equal(results.length, 200);
        assert.ok(results.every((r) => r.ok && r.status === 'OPEN'));
        report(`checked-${role()}`, results);
        mark(`checked.${role()}`);
        await waitMark(`checked.${other()}`);
        const both = [...reported('checked-a'), ...reported('checked-b')];
        assert.equal(both.length, 400);
        await until(() => missing(both).length === 0, `every one of the 400 reported checks in window ${role()} (missing ${missing(both).length})`);
        const roots = (await api.internals.tree.getChildren()) ?? [];
        assert.ok(roots.length >= 400, `the tree shows ${roots.length} entries`);
        for (const id of [...plan().ids.a, ...plan().ids.b]) assert.ok(ids().has(id.toLowerCase()), `${id} is shown`);
      } finally {
        for (const w of watches) w.dispose();
      }
    });

    it('two windows: Remove in one window is seen by the other, and no later write or merge brings it back', async () => {
      const removedIds = [plan().ids.b[0], plan().ids.a[0]];
      if (role() === 'a') {
        for (const id of removedIds) await vscode.commands.executeCommand('d7otp.history.remove', id);
        mark('removed');
        await waitMark('after-removal.b');
        await until(() => missing(reported('after-removal-b')).length === 0, "B's checks after the removal");
        await api.internals.history.reload();
        for (const id of removedIds) assert.ok(!ids().has(id), `${id} stays removed in A`);
        mark('removal-checked.a');
      } else {
        await waitMark('removed');
        await until(() => removedIds.every((id) => !ids().has(id)), 'the removal to show in B');
        const after = [await checkOne(plan().extra[0]), await checkOne(plan().ids.b[1])];
        report('after-removal-b', after);
        mark('after-removal.b');
        await waitMark('removal-checked.a');
        await api.internals.history.reload();
        for (const id of removedIds) assert.ok(!ids().has(id), `${id} stays removed in B`);
      }
    });

    it('two windows: one window reloads in the middle of a burst; nothing either reported is lost', async () => {
      await startTogether('burst2');
      if (role() === 'a') return burstAndReload();
      const mine: Reported[] = [];
      for (const id of plan().extra.slice(10, 40)) {
        const result = await checkOne(id);
        report('burst-b', [result]);
        mine.push(result);
      }
      await waitMark('a2.started');
      await until(() => missing(expectedChecks()).length === 0, `every reported check in B (missing ${missing(expectedChecks()).length})`);
      mark('reload-verified.b');
    });
  }

  if (role() === 'a' && !firstRun) {
    it('two windows: after the reload, every check reported before it is in this window', async () => {
      mark('a2.started');
      const before = readBurst();
      assert.ok(before.length >= 40, `${before.length} checks were reported before the reload`);
      await until(() => missing(expectedChecks()).length === 0, `every reported check in A after its reload (missing ${missing(expectedChecks()).length})`);
      await waitMark('reload-verified.b');
    });
  }

  if (role() === 'b' || (role() === 'a' && !firstRun)) {
    it('two windows: Clear History in one window is seen by the other, and nothing comes back', async () => {
      if (role() === 'a') {
        assert.equal(await vscode.commands.executeCommand('d7otp.history.clear', { confirm: false }), true);
        mark('cleared');
        await waitMark('after-clear.b');
        await until(() => missing(reported('after-clear-b')).length === 0, "B's check after the clear");
        await api.internals.history.reload();
        assert.deepEqual(ids(), lower([plan().extra[2]]), 'only what was checked after the clear');
        mark('clear-checked.a');
        await waitMark('clear-verified.b'); // the next step's checks would otherwise race B's look
      } else {
        await waitMark('cleared');
        await until(() => history().length === 0, 'the clear to show in B');
        report('after-clear-b', [await checkOne(plan().extra[2])]);
        mark('after-clear.b');
        await waitMark('clear-checked.a');
        await api.internals.history.reload();
        assert.deepEqual(ids(), lower([plan().extra[2]]), 'only what was checked after the clear');
        mark('clear-verified.b');
      }
    });

    it('two windows: both clear at once, each with a check the other has not read; nothing comes back', async () => {
      const mine = role() === 'a' ? 3 : 4;
      await checkOne(plan().extra[mine]);
      await startTogether('clear2');
      assert.equal(await vscode.commands.executeCommand('d7otp.history.clear', { confirm: false }), true);
      mark(`clear2-done.${role()}`);
      await waitMark(`clear2-done.${other()}`);
      await checkOne(plan().extra[mine + 2]);
      mark(`after-clear2.${role()}`);
      await waitMark(`after-clear2.${other()}`);
      const expected = lower([plan().extra[5], plan().extra[6]]);
      await until(
        async () => {
          await api.internals.history.reload();
          return ids().size === 2 && [...expected].every((id) => ids().has(id));
        },
        `window ${role()} to show exactly the two checks made after both clears (shows ${[...ids()].join(', ')})`,
      );
      mark(`final.${role()}`, { ids: [...ids()] });
    });
  }

  if (role() === 'c') {
    it('two windows: a third window opened afterwards shows the same history', async () => {
      await waitMark('final.a');
      await waitMark('final.b');
      assert.deepEqual(ids(), lower([plan().extra[5], plan().extra[6]]));
    });
  }
});

function readBurst(): Reported[] {
  return reported('burst-a');
}

/** Window A: a burst of checks, four at a time; after 40 are reported, the window reloads in the middle of it. */
async function burstAndReload(): Promise<void> {
  const queue = [...plan().burst];
  let count = 0;
  const worker = async () => {
    for (let id = queue.shift(); id; id = queue.shift()) {
      const result = await checkOne(id);
      report('burst-a', [result]);
      if (++count === 40) {
        mark('a.reloading', { reported: count });
        void vscode.commands.executeCommand('workbench.action.reloadWindow');
      }
    }
  };
  await Promise.all([worker(), worker(), worker(), worker()]);
  // The whole burst got through before the window went: it still has to go (the runner reloads it otherwise).
  await until(() => false, 'the window to reload', 60_000);
}
