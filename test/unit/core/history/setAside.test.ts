import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { nodeFs } from '../../../../src/core/history/files';
import { SetAsides } from '../../../../src/core/history/setAside';
import { msg } from '../../../../src/core/messages';
import { at, check, entryOf, uuid } from '../../helpers';
import { tempDir } from '../../historyFixtures';

const T0 = Date.parse('2026-03-01T10:00:00.000Z');

/** Set-asides in a temp folder, each written one second after the one before. */
function setAsides() {
  let clock = T0;
  const dir = path.join(tempDir(), 'set-aside');
  return { sa: new SetAsides(nodeFs, dir, () => (clock += 1000)), dir };
}

describe('core/history/setAside: SetAsides', () => {
  it('lists every set-aside newest first, with why, when, what went wrong and how many entries and checks it holds', async () => {
    const { sa } = setAsides();
    const a = await sa.unreadable(msg('historyUnreadable'), 'garbage');
    const b = await sa.entries(msg('importCapsSetAside'), [entryOf([check(uuid(1)), check(uuid(1), { checkedAt: at(5) })]), entryOf([check(uuid(2))])]);
    const c = await sa.unreadable(msg('historyNoList'), { x: 1 });
    const list = await sa.list();
    assert.deepEqual(
      list.map((s) => [s.id, s.reason, s.createdAt, s.entries, s.checks]),
      [
        [c, 'unreadable', '2026-03-01T10:00:03.000Z', 0, 0],
        [b, 'caps', '2026-03-01T10:00:02.000Z', 2, 3],
        [a, 'unreadable', '2026-03-01T10:00:01.000Z', 0, 0],
      ],
    );
    assert.ok(list.every((s) => s.problem.length > 0 && s.path.endsWith(s.id)));
  });

  it('lists only its own documents: other files, unreadable JSON and other formats are left out; missing fields read as empty', async () => {
    const { sa, dir } = setAsides();
    await sa.unreadable(msg('historyUnreadable'), 'x');
    fs.writeFileSync(path.join(dir, 'notes.txt'), 'hello');
    fs.writeFileSync(path.join(dir, 'broken.json'), '{');
    fs.writeFileSync(path.join(dir, 'other.json'), JSON.stringify({ format: 'something-else', entries: [] }));
    fs.writeFileSync(path.join(dir, 'bare.json'), JSON.stringify({ format: 'd7otp-history-set-aside', reason: 'who knows', entries: [{ checks: 'no' }, 7] }));
    const list = await sa.list();
    assert.equal(list.length, 2);
    const bare = list.find((s) => s.id === 'bare.json');
    assert.deepEqual(bare && [bare.reason, bare.createdAt, bare.problem, bare.entries, bare.checks], ['unreadable', '', '', 2, 0]);
  });

  it('keeps the 20 newest set-asides of unreadable data; entries set aside by the caps are never dropped', async () => {
    const { sa } = setAsides();
    const caps = await sa.entries(msg('importCapsSetAside'), [entryOf([check(uuid(3))])]);
    const ids: string[] = [];
    for (let i = 0; i < 22; i++) ids.push(await sa.unreadable(msg('historyUnreadable'), i));
    const list = await sa.list();
    assert.deepEqual(
      list.filter((s) => s.reason === 'unreadable').map((s) => s.id),
      ids.slice(2).reverse(),
    );
    assert.ok(list.some((s) => s.id === caps));
  });

  it('reads back the readable entries; an id that is not a plain file name of the folder reads nothing', async () => {
    const { sa, dir } = setAsides();
    const good = entryOf([check(uuid(4))]);
    const id = await sa.entries(msg('importCapsSetAside'), [good]);
    const doc = JSON.parse(fs.readFileSync(path.join(dir, id), 'utf8')) as { entries: unknown[] };
    fs.writeFileSync(path.join(dir, id), JSON.stringify({ ...doc, entries: [...doc.entries, { otpId: 'nope' }] }));
    assert.deepEqual(await sa.read(id), [good]);
    fs.writeFileSync(path.join(path.dirname(dir), 'outside.json'), fs.readFileSync(path.join(dir, id)));
    fs.writeFileSync(path.join(dir, '.hidden.json'), fs.readFileSync(path.join(dir, id)));
    fs.writeFileSync(path.join(dir, `${id}.bak`), fs.readFileSync(path.join(dir, id)));
    for (const bad of ['../outside.json', 'x/../../outside.json', '.hidden.json', `${id}.bak`, 'x.txt', 'a/b.json', 'missing.json']) {
      assert.equal(await sa.read(bad), undefined, bad);
    }
    assert.equal(await sa.read((await sa.unreadable(msg('historyUnreadable'), 'x')).toString()), undefined, 'unreadable data holds no entries');
  });

  it('keep: what is left of a set-aside replaces its entries; nothing left removes it; another id is left alone', async () => {
    const { sa, dir } = setAsides();
    const one = entryOf([check(uuid(5))]);
    const two = entryOf([check(uuid(6))]);
    const id = await sa.entries(msg('importCapsSetAside'), [one, two]);
    await sa.keep(id, [two]);
    assert.deepEqual(await sa.read(id), [two]);
    assert.equal((await sa.list())[0].reason, 'caps', 'the rest of the document is kept');
    await sa.keep('../' + id, []);
    await sa.keep(id, []);
    assert.deepEqual(fs.readdirSync(dir), []);
  });
});
