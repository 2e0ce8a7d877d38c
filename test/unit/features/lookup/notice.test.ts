import * as assert from 'node:assert/strict';
import type { CheckError, FailedCheck } from '../../../../src/core/check';
import { failureNotice } from '../../../../src/features/lookup/notice';
import { check, uuid } from '../../helpers';

/** A failed check of this kind and message id. */
const failed = (kind: CheckError['kind'], messageId?: CheckError['messageId']) =>
  check(uuid(1), { error: { kind, message: 'Why it failed.', ...(messageId ? { messageId } : {}) } }) as FailedCheck;

describe('features/lookup/notice: failureNotice actions', () => {
  it('a d7otp.baseUrl problem offers the settings, whichever of its messages it is; other settings problems offer nothing', () => {
    for (const id of ['baseUrlEmpty', 'baseUrlInvalid', 'baseUrlPlainHttp', 'baseUrlCredentials', 'baseUrlNotOrigin', 'baseUrlScheme'] as const) {
      assert.deepEqual(failureNotice(failed('config', id)).actions, ['openSettings'], id);
    }
    for (const id of ['otpIdInvalid', 'profileGone', 'codeInvalid', undefined] as const) {
      assert.deepEqual(failureNotice(failed('config', id)).actions, [], String(id));
    }
    assert.deepEqual(failureNotice(failed('network', 'baseUrlInvalid')).actions, ['retry', 'showLog'], 'only a settings problem is about the settings');
  });

  it('a token problem offers Set API Token, first', () => {
    for (const [kind, id] of [
      ['unauthorized', undefined],
      ['config', 'noToken'],
      ['config', 'storedTokenUnusable'],
      ['config', 'tokenForOtherOrigin'],
    ] as const) {
      assert.equal(failureNotice(failed(kind, id)).actions[0], 'setToken', `${kind} ${id}`);
    }
  });
});
