import * as assert from 'node:assert/strict';
import { maskedCheck, maskRecipient, maskRecipients, recipientText } from '../../../src/core/recipient';

describe('core/recipient', () => {
  describe('maskRecipient', () => {
    it('keeps the country code and first digits and the last four, hiding at least three', () => {
      assert.equal(maskRecipient('+971501234567'), '+97150•••4567');
      assert.equal(maskRecipient('+1 (415) 555-0100'), '+1415•••0100');
      assert.equal(maskRecipient('4915112345678'), '49151•••5678');
    });

    it('hides at least three digits of a short number, and keeps only the last two of it', () => {
      assert.equal(maskRecipient('+1234567'), '+12•••67');
      assert.equal(maskRecipient('12345678'), '123•••78');
    });

    it('never shows a value that is not a phone number', () => {
      for (const value of ['', 'alice@example.com', '+12', '1234567890123456', '[x](command:y)', '+97150 1234567 ext 9']) {
        assert.equal(maskRecipient(value), '•••', value);
      }
    });

    it('never shows more than the number minus three digits', () => {
      for (let length = 7; length <= 15; length++) {
        const digits = '9'.repeat(length);
        const shown = maskRecipient(`+${digits}`).replace(/[^\d]/g, '').length;
        assert.ok(shown <= length - 3, `${length} digits: ${shown} shown`);
      }
    });
  });

  describe('maskRecipients', () => {
    it('a number under a phone key is masked only when it can be one (a positive whole number)', () => {
      assert.deepEqual(maskRecipients({ to: 0, msisdn: -971501234567, phone: 9715.5, mobile: 971501234567 }), {
        to: 0,
        msisdn: -971501234567,
        phone: 9715.5,
        mobile: '97150•••4567',
      });
    });

    it('walks 32 levels of nesting, and leaves what is deeper as it is (a hostile body cannot exhaust the stack)', () => {
      const nest = (levels: number): unknown => (levels === 0 ? { to: '+971501234567' } : { a: nest(levels - 1) });
      const leaf = (v: unknown, levels: number): unknown => (levels === 0 ? v : leaf((v as { a: unknown }).a, levels - 1));
      assert.deepEqual(leaf(maskRecipients(nest(32)), 32), { to: '+97150•••4567' }, 'the object at depth 32 is masked');
      assert.deepEqual(leaf(maskRecipients(nest(33)), 33), { to: '+971501234567' }, 'one deeper is not walked');
    });

    it('masks the phone numbers of a body: phone-number keys (text or number) and any +number in any text', () => {
      const body = {
        otp_id: '8d963dbf-d655-4fe6-9157-48885a036050',
        recipient: '+971501234567',
        to: ['+4915112345678', '971501234567'],
        msisdn: 971501234567,
        nested: { phone_number: '+1 (415) 555-0100', note: 'sent to +971501234567 at 10:01' },
        expiry: 600,
        count: 4915112345678,
      };
      assert.deepEqual(maskRecipients(body), {
        otp_id: '8d963dbf-d655-4fe6-9157-48885a036050',
        recipient: '+97150•••4567',
        to: ['+49151•••5678', '97150•••4567'],
        msisdn: '97150•••4567',
        nested: { phone_number: '+1415•••0100', note: 'sent to +97150•••4567 at 10:01' },
        expiry: 600,
        count: 4915112345678,
      });
    });

    it('keeps text that is no phone number, or already masked, and numbers without "+" outside phone keys', () => {
      const body = { recipient: '+9715XXXXXXX', to: 'alice@example.com', masked: '+97150•••4567', id: '12345678901', when: '2026-11-25T10:01:03Z' };
      assert.deepEqual(maskRecipients(body), body);
      assert.deepEqual(maskRecipients(maskRecipients({ recipient: '+971501234567' })), { recipient: '+97150•••4567' });
      assert.equal(maskRecipients('<p>call +971501234567</p>'), '<p>call +97150•••4567</p>');
      for (const value of [null, 3, true, undefined]) assert.equal(maskRecipients(value), value);
    });

    it('a key "__proto__" stays a key (no prototype is replaced)', () => {
      const body = JSON.parse('{"__proto__": {"recipient": "+971501234567"}}') as object;
      const masked = maskRecipients(body) as Record<string, unknown>;
      assert.equal(Object.getPrototypeOf(masked), Object.prototype);
      assert.deepEqual(Object.getOwnPropertyDescriptor(masked, '__proto__')?.value, { recipient: '+97150•••4567' });
    });
  });

  describe('maskedCheck and recipientText', () => {
    it("masks a record's body and error message; returns the record itself when it holds no phone number", () => {
      const check = { otpId: 'x', ok: false, body: { detail: 'bad +971501234567' }, error: { kind: 'validation', message: 'refused +971501234567' } };
      assert.deepEqual(maskedCheck(check), {
        otpId: 'x',
        ok: false,
        body: { detail: 'bad +97150•••4567' },
        error: { kind: 'validation', message: 'refused +97150•••4567' },
      });
      const clean = { otpId: 'x', ok: true, body: { status: 'OPEN' } };
      assert.equal(maskedCheck(clean), clean);
      const failedClean = { otpId: 'x', ok: false, error: { kind: 'timeout', message: 'D7 did not answer within 15 s.' } };
      assert.equal(maskedCheck(failedClean), failedClean, 'a failed record without a number is itself too');
      const digits = { otpId: 'x', ok: false, error: { kind: 'server', message: '971501234567' } };
      assert.equal(maskedCheck(digits), digits, 'in free text only a +number is a phone number');
    });

    it('under a phone key, a value that is a number with spaces around is masked; one too short to be one is kept', () => {
      assert.deepEqual(maskRecipients({ to: ' 971501234567 ', phone: '123456', mobile: '+971 50 123 4567' }), {
        to: '97150•••4567',
        phone: '123456',
        mobile: '+97150•••4567',
      });
    });

    it('gives back the very same value where nothing changed, and a copy only where something did', () => {
      const body = { status: 'OPEN', list: ['a', 'b'], nested: { n: 1 } };
      assert.equal(maskRecipients(body), body);
      const mixed = { to: ['+4915112345678', 'not a number'], keep: { n: 1 } };
      const masked = maskRecipients(mixed) as typeof mixed;
      assert.deepEqual(masked.to, ['+49151•••5678', 'not a number']);
      assert.equal(masked.keep, mixed.keep, 'an unchanged part is not copied');
    });

    it('a recipient in a message: masked unless shown, and inert either way', () => {
      assert.equal(recipientText('+971501234567', false), '+97150•••4567');
      assert.equal(recipientText('+971501234567', true), '+971501234567');
      assert.equal(recipientText('[x](command:y)\n', true), '[x] (command:y) ');
      assert.equal(recipientText(undefined, false), '•••');
      assert.equal(recipientText(971501234567, false), '97150•••4567', 'a number as D7 may send it');
      assert.equal(recipientText(971501234567, true), '971501234567');
      for (const odd of [undefined, null, { to: '+971501234567' }, ['+971501234567'], true]) {
        assert.equal(recipientText(odd, true), '', `${JSON.stringify(odd)} is no recipient`);
      }
    });
  });
});
