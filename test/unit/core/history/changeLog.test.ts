import * as assert from 'node:assert/strict';
import { ChangeLog } from '../../../../src/core/history/changeLog';

describe('core/history/changeLog: ChangeLog', () => {
  it('knows the keys of the last 64 revisions; one revision further back is unknown', () => {
    const log = new ChangeLog();
    for (let revision = 1; revision <= 64; revision++) log.note(revision, `k${revision % 5}`);
    assert.deepEqual([...(log.since(0, 64) ?? [])].sort(), ['k0', 'k1', 'k2', 'k3', 'k4']);
    log.note(65, 'k9');
    assert.equal(log.since(0, 65), undefined, 'revision 1 is forgotten');
    assert.deepEqual([...(log.since(1, 65) ?? [])].sort(), ['k0', 'k1', 'k2', 'k3', 'k4', 'k9']);
    assert.deepEqual([...(log.since(64, 65) ?? [])], ['k9']);
    assert.deepEqual([...(log.since(65, 65) ?? [])], [], 'nothing since the latest');
  });

  it('a revision that changed any entry (no key), or one not noted, makes the range unknown', () => {
    const log = new ChangeLog();
    log.note(1, 'a');
    log.note(2, undefined);
    log.note(3, 'b');
    assert.equal(log.since(0, 3), undefined);
    assert.deepEqual([...(log.since(2, 3) ?? [])], ['b']);
    log.note(5, 'c');
    assert.equal(log.since(3, 5), undefined, 'revision 4 was never noted');
  });
});
