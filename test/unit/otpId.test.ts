import * as assert from 'node:assert/strict';
import { findUuids, isUuid, otpIdKey, parseOtpId, printable } from '../../src/core/otpId';

const ID = '8d963dbf-d655-4fe6-9157-48885a036050';

describe('otp_id parsing', () => {
  it('accepts a UUID and keeps its case', () => {
    assert.deepEqual(parseOtpId(ID), { ok: true, otpId: ID });
    assert.deepEqual(parseOtpId(ID.toUpperCase()), { ok: true, otpId: ID.toUpperCase() });
  });

  it('trims whitespace and surrounding quotes', () => {
    for (const input of [`  ${ID}\n`, `"${ID}"`, `'${ID}'`, `\`${ID}\``, ` "${ID}" `, `“${ID}”`, `"'${ID}'"`]) {
      assert.deepEqual(parseOtpId(input), { ok: true, otpId: ID }, JSON.stringify(input));
    }
  });

  it('refuses empty input with an example', () => {
    for (const input of ['', '   ', '""', undefined, 42]) {
      const parsed = parseOtpId(input);
      assert.equal(parsed.ok, false);
      assert.match((parsed as { message: string }).message, /UUID such as 8d963dbf/);
    }
  });

  it('refuses anything that is not exactly a UUID', () => {
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
      const parsed = parseOtpId(input);
      assert.equal(parsed.ok, false, JSON.stringify(input.slice(0, 50)));
      assert.match((parsed as { message: string }).message, /not an otp_id/);
    }
  });

  it('keeps messages single-line and short for hostile input', () => {
    const parsed = parseOtpId(`abc\u0000\u001b[31m\r\n${'y'.repeat(500)}`) as { message: string };
    // eslint-disable-next-line no-control-regex
    assert.ok(!/[\u0000-\u001f]/.test(parsed.message));
    assert.ok(parsed.message.length < 250);
  });

  it('finds every UUID in text, deduplicated case-insensitively, in order', () => {
    const text = `ids: ${ID}, "D4C6B4E9-532D-4BE7-9E9E-897F97847FBD" and ${ID.toUpperCase()} x${ID}y not-a-uuid 1234`;
    assert.deepEqual(findUuids(text), [ID, 'D4C6B4E9-532D-4BE7-9E9E-897F97847FBD']);
  });

  it('compares ids case-insensitively', () => {
    assert.equal(otpIdKey(ID.toUpperCase()), ID);
    assert.ok(isUuid(ID));
    assert.ok(!isUuid(` ${ID}`));
  });

  it('renders untrusted text printable', () => {
    assert.equal(printable('a\u202Eb\nc'), 'a\uFFFDb\uFFFDc');
    assert.equal(printable('x'.repeat(100), 10), `${'x'.repeat(10)}…`);
  });
});
