import * as assert from 'node:assert/strict';
import { english, fill, MESSAGES, msg, type MessageId } from '../../../src/core/messages';

describe('core/messages', () => {
  describe('msg', () => {
    it('is a code with its parameters, not yet worded', () => {
      assert.deepEqual(msg('tokenRejected', 'HTTP 401'), { id: 'tokenRejected', args: ['HTTP 401'] });
      assert.deepEqual(msg('cancelled'), { id: 'cancelled', args: [] });
    });
  });

  describe('fill', () => {
    it('fills {0}, {1}… and leaves a placeholder without a value, and other braces, as they are', () => {
      assert.equal(fill('{0} and {1}, {0} again', ['a', 2]), 'a and 2, a again');
      assert.equal(fill('{0} {1} {x} {} {{0}}', ['a']), 'a {1} {x} {} {a}');
    });

    it('inserts values literally ("$&" or "{1}" in a value is not expanded)', () => {
      assert.equal(fill('{0}-{1}', ['$&{1}', 'b']), '$&{1}-b');
    });
  });

  describe('english', () => {
    it('words a message, nested messages too', () => {
      assert.equal(english(msg('tokenRejected', 'HTTP 401 Unauthorized')), 'Token rejected by D7 (HTTP 401 Unauthorized). Set a valid API token.');
      assert.equal(
        english(msg('setAsideFile', msg('historyEntrySetAside'), 'x.json')),
        '1 stored history entry was unreadable and set aside. Kept in the set-aside file x.json (D7 OTP: Restore Set-Aside History lists it).',
      );
      assert.equal(english(msg('refused', 'HTTP 400', msg('noReasonGiven'))), 'D7 refused the request (HTTP 400): no reason given');
    });
  });

  describe('MESSAGES', () => {
    it("numbers each template's placeholders from {0} without a gap", () => {
      for (const [id, template] of Object.entries(MESSAGES)) {
        const used = [...new Set([...template.matchAll(/\{(\d+)\}/g)].map((m) => Number(m[1])))].sort((a, b) => a - b);
        assert.deepEqual(
          used,
          used.map((_, i) => i),
          `${id}: ${template}`,
        );
      }
    });

    it('words every message as one line with no placeholder left when given its parameters', () => {
      for (const id of Object.keys(MESSAGES) as MessageId[]) {
        const count = new Set([...MESSAGES[id].matchAll(/\{(\d+)\}/g)].map((m) => m[1])).size;
        const text = english(msg(id, ...Array.from({ length: count }, (_, i) => `p${i}`)));
        assert.doesNotMatch(text, /\{\d+\}|[\r\n]/, id);
        assert.ok(text.trim().length > 0, id);
      }
    });
  });
});
