import * as assert from 'node:assert/strict';
import { english } from '../../../src/core/messages';
import { EXAMPLE_OTP_ID, findOtpIds, otpIdKey, otpIdMatches, parseOtpId, readOtpId, sameOtpId } from '../../../src/core/otpId';
import { ACCEPTED_OTP_IDS, HOSTILE_OTP_IDS } from '../../cases/otpIds';
import { MOCK_TOKEN } from '../../mock/server';
import { assertInertLine, otpId, UNSAFE_CHARS } from '../helpers';

const ID = EXAMPLE_OTP_ID;
const OTHER = 'D4C6B4E9-532D-4BE7-9E9E-897F97847FBD';

/** The message of a refused input, worded in English. */
function refusal(input: unknown): { id: string; text: string } {
  const parsed = parseOtpId(input);
  assert.equal(parsed.ok, false, `${JSON.stringify(input)?.slice(0, 50)} is refused`);
  return parsed.ok ? { id: '', text: '' } : { id: parsed.message.id, text: english(parsed.message) };
}

describe('core/otpId', () => {
  describe('parseOtpId', () => {
    it('accepts a UUID and keeps its case', () => {
      assert.deepEqual(parseOtpId(ID), { ok: true, otpId: ID });
      assert.deepEqual(parseOtpId(ID.toUpperCase()), { ok: true, otpId: ID.toUpperCase() });
    });

    it('trims whitespace and surrounding quotes', () => {
      for (const input of [`  ${ID}\n`, `"${ID}"`, `'${ID}'`, `\`${ID}\``, ` "${ID}" `, `“${ID}”`, `"'${ID}'"`]) {
        assert.deepEqual(parseOtpId(input), { ok: true, otpId: ID }, JSON.stringify(input));
      }
    });

    it(`${ACCEPTED_OTP_IDS.length} accepted spellings come out as the exact otp_id`, () => {
      for (const [what, input, expected] of ACCEPTED_OTP_IDS) assert.deepEqual(parseOtpId(input), { ok: true, otpId: expected }, what);
    });

    it('refuses empty input (or none) with an example: otpIdMissing', () => {
      for (const input of ['', '   ', '""', undefined, 42]) {
        const { id, text } = refusal(input);
        assert.equal(id, 'otpIdMissing');
        assert.match(text, /UUID such as 8d963dbf-d655-4fe6-9157-48885a036050/);
      }
    });

    it('refuses anything that is not exactly a UUID: otpIdInvalid', () => {
      const bad = [
        '../etc/passwd',
        `${ID}/../x`,
        `${ID}?a=1`,
        `${ID}#x`,
        `%2e%2e/${ID}`,
        `${ID}\nHost: evil`,
        ID.slice(0, -1),
        `${ID}0`,
        ID.replace(/-/g, ''),
        ID.replace('8', '８'), // full-width digit look-alike
        ID.replace('d', 'ԁ'), // Cyrillic look-alike
        `${ID} ${ID}`,
        'x'.repeat(10_000),
      ];
      for (const input of bad) {
        const { id, text } = refusal(input);
        assert.equal(id, 'otpIdInvalid', JSON.stringify(input.slice(0, 50)));
        assert.match(text, /is not an otp_id: expected a UUID/);
      }
    });

    it(`${HOSTILE_OTP_IDS.length} hostile otp_ids are refused, each message one short printable line`, () => {
      for (const [what, input] of HOSTILE_OTP_IDS) {
        const { text } = refusal(input);
        assert.doesNotMatch(text, UNSAFE_CHARS, what);
        assert.ok(text.length < 250, `${what}: ${text.length} characters`);
      }
    });

    it('quotes the refused input inert: the message reaches notifications, which render "](" links and "$(" icons', () => {
      for (const input of ['$(alert)', '[x](command:workbench.action.quit)', '](x']) assertInertLine(refusal(input).text, JSON.stringify(input), 250);
    });

    it('keeps messages single-line and short for hostile input', () => {
      const { text } = refusal(`abc\u0000\u001b[31m\r\n${'y'.repeat(500)}`);
      assertInertLine(text, 'the message', 250);
      assert.match(text, /^"abc\uFFFD\uFFFD\[31…" \(511 characters\)/);
    });

    it('quotes only the first 8 characters and the length: a token pasted into the box is not echoed', () => {
      const parsed = parseOtpId(MOCK_TOKEN);
      assert.ok(!parsed.ok);
      assert.deepEqual(parsed.message.args, [`${MOCK_TOKEN.slice(0, 8)}…`, MOCK_TOKEN.length, EXAMPLE_OTP_ID]);
      assert.ok(!english(parsed.message).includes(MOCK_TOKEN.slice(0, 9)));
    });
  });

  describe('readOtpId', () => {
    it('takes exactly a UUID, in any case, and nothing else (no trimming, no quotes)', () => {
      assert.equal(readOtpId(ID), ID);
      assert.equal(readOtpId(OTHER), OTHER);
      for (const value of [` ${ID}`, `"${ID}"`, `${ID}\n`, ID.slice(1), 42, null, undefined, { otpId: ID }, [ID]]) {
        assert.equal(readOtpId(value), undefined, JSON.stringify(value));
      }
    });
  });

  describe('findOtpIds', () => {
    it('finds every UUID in text, deduplicated case-insensitively, in order of first appearance', () => {
      const text = `ids: ${ID}, "${OTHER}" and ${ID.toUpperCase()} x${ID}y not-a-uuid 1234`;
      assert.deepEqual(findOtpIds(text), [ID, OTHER]);
    });

    it('skips UUIDs glued to letters, digits or dashes', () => {
      assert.deepEqual(findOtpIds(`ab${ID} ${ID}-x 0${ID} ${ID}0`), []);
      assert.deepEqual(findOtpIds(`(${ID}) [${OTHER}]`), [ID, OTHER]);
      assert.deepEqual(findOtpIds(''), []);
    });
  });

  describe('otpIdMatches (terminal links)', () => {
    it('gives every UUID with where it starts, repeats included, none glued to other text', () => {
      const line = `[auth] login failed otp_id=${ID} (retry of ${OTHER}) again ${ID} x${ID}`;
      assert.deepEqual(otpIdMatches(line), [
        { otpId: ID, index: line.indexOf(ID) },
        { otpId: OTHER, index: line.indexOf(OTHER) },
        { otpId: ID, index: line.lastIndexOf(` ${ID} `) + 1 },
      ]);
      for (const { otpId: id, index } of otpIdMatches(line)) assert.equal(line.slice(index, index + id.length), id);
      assert.deepEqual(otpIdMatches('no id here'), []);
    });
  });

  describe('otpIdKey and sameOtpId', () => {
    it('compare ids case-insensitively; an absent id is never the same', () => {
      assert.equal(otpIdKey(otpId(ID.toUpperCase())), ID);
      assert.equal(sameOtpId(otpId(ID), otpId(ID.toUpperCase())), true);
      assert.equal(sameOtpId(otpId(ID), otpId(OTHER)), false);
      assert.equal(sameOtpId(undefined, otpId(ID)), false);
      assert.equal(sameOtpId(undefined, undefined), false);
    });
  });
});
