import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { english } from '../../../src/core/messages';
import { UNSAFE_TEXT } from '../../../src/core/text';
import { curlCommand, markdownReport, markdownText, recipientOf, shellQuote, utcTime } from '../../../src/core/share';
import { HOSTILE_TEXTS } from '../../cases/text';
import { at, check, entryOf, uuid } from '../helpers';

const ID = uuid(1);
const ctx = { word: english, origin: 'https://api.d7networks.com', version: '0.1.0' };

describe('core/share', () => {
  describe('curlCommand', () => {
    it('builds Get Status against the validated origin, the token as $D7_API_TOKEN', () => {
      const curl = curlCommand(ID, 'https://api.d7networks.com/');
      assert.ok(curl.ok);
      assert.equal(
        curl.command,
        `curl -sS -H "Authorization: Bearer $D7_API_TOKEN" -H 'Accept: application/json' 'https://api.d7networks.com/verify/v1/report/${ID}'`,
      );
    });

    it('refuses a base URL the client would refuse, naming the setting (nothing to copy)', () => {
      for (const bad of ['http://d7.example.com', 'https://user:pw@api.d7networks.com', 'https://api.d7networks.com/v1', 'ftp://x']) {
        const curl = curlCommand(ID, bad, 'd7otp.profiles (staging)');
        assert.equal(curl.ok, false, bad);
        if (!curl.ok) assert.match(english(curl.message), /d7otp\.profiles \(staging\)/);
      }
    });

    it('runs in a POSIX shell as one curl with the token from the environment (sh -n parses it; printf shows the words)', function () {
      const curl = curlCommand(ID, 'http://127.0.0.1:8080');
      assert.ok(curl.ok);
      const words = execFileSync('sh', ['-c', curl.command.replace(/^curl/, "printf '%s\\n'")], { env: { D7_API_TOKEN: 'tok en' } })
        .toString()
        .split('\n');
      assert.deepEqual(words.slice(0, 6), [
        '-sS',
        '-H',
        'Authorization: Bearer tok en',
        '-H',
        'Accept: application/json',
        `http://127.0.0.1:8080/verify/v1/report/${ID}`,
      ]);
    });

    it('quotes any value as one shell word', () => {
      for (const value of ["it's", "'; rm -rf / #", '$(id) `id` "x"']) {
        assert.equal(execFileSync('sh', ['-c', `printf %s ${shellQuote(value)}`]).toString(), value);
      }
    });
  });

  describe('markdownReport', () => {
    const entry = entryOf(
      [
        check(ID, { status: 'APPROVED', checkedAt: at(40), durationMs: 80.4 }),
        check(ID, {
          operation: 'verify',
          checkedAt: at(20),
          httpStatus: 400,
          error: { kind: 'validation', code: 'INVALID_OTP_CODE', message: 'Invalid OTP code | or [expired](https://evil.example)' },
        }),
        check(ID, { operation: 'send', checkedAt: at(0), body: { otp_id: ID, status: 'OPEN', recipient: '+971501234567' } }),
      ],
      { label: 'signup *test*', resendOf: uuid(2) },
    );
    // Built inside each test, not when the file loads: the mutation run's per-test coverage sees only what a test runs.
    let md = '';
    beforeEach(() => (md = markdownReport(entry, ctx)));

    it('holds the id, label, profile, masked recipient, timeline and a row per check, oldest first', () => {
      assert.match(md, new RegExp(`^#### D7 OTP \`${ID}\``));
      assert.ok(md.includes('| Label | signup \\*test\\* |'), md);
      assert.ok(md.includes('| Profile | `default` · https\\:\\/\\/api\\.d7networks\\.com |'), md);
      assert.ok(md.includes('| Recipient (masked) | \\+97150•••4567 |'), md);
      assert.ok(!md.includes('501234567'), 'the full number is never in the block');
      assert.ok(md.includes(`| Resent from | \`${uuid(2)}\` |`), md);
      assert.ok(md.includes('| Timeline | OPEN 10\\:00\\:00Z → INVALID\\_OTP\\_CODE 10\\:00\\:20Z \\(20 s\\) → APPROVED 10\\:00\\:40Z \\(20 s\\) |'), md);
      const rows = md.split('\n').filter((l) => l.startsWith('| 2026-'));
      assert.deepEqual(
        rows.map((r) => r.split(' | ').slice(1, 5)),
        [
          ['send', 'OPEN', '200', '12 ms'],
          ['verify', 'refused', '400', '12 ms'],
          ['status', 'APPROVED', '200', '80 ms'],
        ],
      );
      assert.ok(rows[1].includes('`INVALID_OTP_CODE`'));
      assert.ok(rows[0].startsWith('| 2026-11-25 10:00:00Z |'));
    });

    it('renders D7 text as text: no link, no extra table cell', () => {
      assert.ok(md.includes('Invalid OTP code \\| or \\[expired\\]\\(https\\:\\/\\/evil\\.example\\)'), md);
      for (const line of md.split('\n').filter((l) => l.startsWith('| 2026-'))) {
        assert.equal(line.split(/(?<!\\)\|/).length - 2, 7, `7 cells: ${line}`);
      }
      assert.ok(!/\]\(http/.test(md));
    });

    it('never lets hostile text out of its cell or its line', () => {
      for (const text of HOSTILE_TEXTS) {
        const hostile = entryOf([check(ID, { error: { kind: 'server', code: text.slice(0, 100), message: text } })], { label: text.slice(0, 200) });
        const out = markdownReport(hostile, ctx);
        for (const line of out.split('\n')) assert.doesNotMatch(line, UNSAFE_TEXT);
        assert.doesNotMatch(out.replace(/^<sub>|<\/sub>$/gm, ''), /(?<!\\)[<[]|(?<!\\)\]\(/, 'every < [ ]( escaped');
        assert.ok(out.length < 5000, 'bounded');
      }
    });

    it('leaves out what it does not know (no label, recipient or timeline)', () => {
      const plain = markdownReport(entryOf([check(ID, { error: { kind: 'network', message: 'refused' } })]), { word: english, version: '1' });
      assert.ok(!plain.includes('Label') && !plain.includes('Recipient') && !plain.includes('Timeline'));
      assert.ok(plain.includes('| Profile | `default` |'));
      assert.ok(plain.includes('| network error | — |'));
    });
  });

  describe('markdownReport, the whole block', () => {
    it('is exactly: the facts table (profile of the newest check, no blank recipient), the checks table oldest first with ×repeat over 1, a D7 code and message only on failures, rounded durations, the footer with the version', () => {
      const entry = entryOf([
        check(ID, { status: 'OPEN', checkedAt: at(60), repeat: 3, profile: 'staging', durationMs: 80.6 }),
        check(ID, { checkedAt: at(30), error: { kind: 'network', message: 'socket hang up' } }),
        check(ID, {
          checkedAt: at(0),
          httpStatus: 404,
          repeat: 1,
          body: { recipient: '   ' },
          error: { kind: 'not-found', code: 'MESSAGE_LOG_NOT_EXISTS', message: 'Not found' },
        }),
      ]);
      assert.equal(
        markdownReport(entry, { word: english, version: '9.9.9' }),
        [
          `#### D7 OTP \`${ID}\``,
          '',
          '| | |',
          '|---|---|',
          '| Profile | `staging` |',
          '| Timeline | MESSAGE\\_LOG\\_NOT\\_EXISTS 10\\:00\\:00Z → OPEN 10\\:01\\:00Z \\(1 min\\) |',
          '',
          '| Checked at (UTC) | Call | Result | HTTP | Duration | D7 code | Message |',
          '|---|---|---|---|---|---|---|',
          '| 2026-11-25 10:00:00Z | status | not found | 404 | 12 ms | `MESSAGE_LOG_NOT_EXISTS` | Not found |',
          '| 2026-11-25 10:00:30Z | status | network error | — | 12 ms |  | socket hang up |',
          '| 2026-11-25 10:01:00Z | status | OPEN ×3 | 200 | 81 ms |  |  |',
          '',
          '<sub>Copied from D7 OTP Inspector 9\\.9\\.9\\. The API token is not included\\.</sub>',
        ].join('\n'),
      );
    });
  });

  describe('helpers', () => {
    it('markdownText escapes every ASCII punctuation character and keeps one line', () => {
      assert.equal(markdownText('a*b_c[d](e)<f>|g`h\ni'), 'a\\*b\\_c\\[d\\]\\(e\\)\\<f\\>\\|g\\`h i');
    });

    it('utcTime is the same in every time zone; recipientOf finds a recipient in an answer', () => {
      assert.equal(utcTime('2026-11-25T10:00:00.000Z'), '2026-11-25 10:00:00Z');
      assert.equal(recipientOf(entryOf([check(ID, { body: { recipient: '+4915112345678' } })])), '+4915112345678');
      assert.equal(recipientOf(entryOf([check(ID)])), undefined);
    });
  });
});
