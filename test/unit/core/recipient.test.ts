import * as assert from 'node:assert/strict';
import { maskRecipient } from '../../../src/core/recipient';

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
});
