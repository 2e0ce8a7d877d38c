import * as assert from 'node:assert/strict';
import { english } from '../../../../src/core/messages';
import { expiryOf, OPTION_KEYS, optionsLine, optionSummary, parseOptions, readRecipient, recipientProblem } from '../../../../src/features/verify/sendOptions';

const DEFAULT_LINE = 'expiry=600 channel=SMS otp_code_length=6 otp_type=numeric retry_delay=60 retry_count=5';

describe('features/verify/sendOptions', () => {
  describe('readRecipient and recipientProblem', () => {
    it('reads E.164 without the spaces and dashes people type: + and 7 to 15 digits, not starting with 0', () => {
      const cases: [string, string | undefined][] = [
        ['+971501234567', '+971501234567'],
        ['+971 50-123 4567', '+971501234567'],
        ['971501234567', '971501234567'],
        ['+1234567', '+1234567'],
        ['+123456789012345', '+123456789012345'],
        ['+123456', undefined],
        ['+1234567890123456', undefined],
        ['+0501234567', undefined],
        ['+97150abc4567', undefined],
        ['++971501234567', undefined],
        ['', undefined],
      ];
      for (const [input, recipient] of cases) assert.equal(readRecipient(input), recipient, input);
    });

    it('says what is wrong only once something was typed', () => {
      assert.equal(recipientProblem(''), undefined);
      assert.equal(recipientProblem('   '), undefined);
      assert.equal(recipientProblem('+971 50 123 4567'), undefined);
      const problem = recipientProblem('0501234567');
      assert.equal(problem && english(problem), 'Use E.164: + and 7 to 15 digits, e.g. +971501234567.');
    });
  });

  describe('parseOptions', () => {
    it('reads "key=value" pairs; numbers as numbers, an empty value left to D7\'s default', () => {
      assert.deepEqual(parseOptions(''), { values: {} });
      assert.deepEqual(parseOptions('  expiry=300\n channel=WHATSAPP   otp_code_length=8 retry_count= data_coding=text '), {
        values: { expiry: 300, channel: 'WHATSAPP', otp_code_length: 8, data_coding: 'text' },
      });
      assert.deepEqual(parseOptions('otp_type=a=b').values, { otp_type: 'a=b' });
    });

    it('refuses an unknown key (names the known ones), a numeric option that is not a whole number, a code length outside 2–10', () => {
      const problem = (text: string) => english(parseOptions(text).problem ?? { id: 'typeNull', args: [] });
      assert.equal(problem('expiry=600 content=hi'), `Unknown option "content". Known: ${OPTION_KEYS.join(', ')}.`);
      assert.equal(problem('Expiry=600'), `Unknown option "Expiry". Known: ${OPTION_KEYS.join(', ')}.`);
      for (const bad of ['expiry=abc', 'expiry=-1', 'retry_delay=1.5', 'retry_count=1e3', 'otp_code_length=0x6']) {
        assert.match(problem(bad), /^\w+ must be a whole number\.$/, bad);
      }
      for (const bad of ['otp_code_length=1', 'otp_code_length=11']) assert.equal(problem(bad), 'otp_code_length must be 2 to 10.', bad);
      for (const good of ['otp_code_length=2', 'otp_code_length=10']) assert.equal(parseOptions(good).problem, undefined, good);
    });
  });

  describe('optionsLine and optionSummary', () => {
    it("optionsLine: every option but data_coding, D7's default where none is set; it parses back", () => {
      assert.equal(optionsLine({}), DEFAULT_LINE);
      const line = optionsLine({ expiry: 120, channel: 'VOICE', data_coding: 'unicode' });
      assert.equal(line, 'expiry=120 channel=VOICE otp_code_length=6 otp_type=numeric retry_delay=60 retry_count=5');
      assert.deepEqual(parseOptions(line), {
        values: { expiry: 120, channel: 'VOICE', otp_code_length: 6, otp_type: 'numeric', retry_delay: 60, retry_count: 5 },
      });
    });

    it("optionSummary: only the options set, data_coding included, in the options' order", () => {
      assert.equal(
        optionSummary({ retry_count: 2, originator: 'x', recipient: '+1', data_coding: 'text', expiry: 60 }),
        'expiry=60 retry_count=2 data_coding=text',
      );
      assert.equal(optionSummary({}), '');
    });
  });

  describe('expiryOf', () => {
    it("is D7's expiry, else what was asked for, when it is a positive number", () => {
      assert.equal(expiryOf({ expiry: 600 }), 600);
      assert.equal(expiryOf({ expiry: 600 }, 30), 600);
      assert.equal(expiryOf({ status: 'OPEN' }, 30), 30);
      assert.equal(expiryOf(undefined, 45), 45);
      assert.equal(expiryOf({ expiry: '300' }), 300);
      assert.equal(expiryOf({ expiry: ' 300 ' }), 300, 'digits with spaces around them');
      // only digits: not what Number() would also read (hex, an exponent, a sign, a fraction)
      for (const expiry of ['0x10', '1e3', '+300', '300.5', '300s', 's300']) assert.equal(expiryOf({ expiry }), undefined, expiry);
      for (const expiry of [0, -5, NaN, 'soon', null, {}]) assert.equal(expiryOf({ expiry }), undefined, String(expiry));
      assert.equal(expiryOf(undefined), undefined);
    });

    it('reads no expiry from a value that is not a number or numeric text (true, a list)', () => {
      for (const expiry of [true, [600]]) assert.equal(expiryOf({ expiry }), undefined, JSON.stringify(expiry));
    });
  });
});
