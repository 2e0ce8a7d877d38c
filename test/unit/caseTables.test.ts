/**
 * The case tables of test/cases and the figures counted from them (scripts/reliability-figures.js prints them for
 * docs/RELIABILITY.md): a duplicated case would inflate a published figure, and a class must name test files that
 * exist.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ACCEPTED_BASE_URLS, BASE_URLS_WITH_PASSWORD, BASE_URLS_WITH_UNSAFE_TEXT, REFUSED_BASE_URLS } from '../cases/baseUrls';
import { reliabilityFigures } from '../cases/figures';
import { ACCEPTED_OTP_IDS, HOSTILE_OTP_IDS, VERIFY_CODES } from '../cases/otpIds';
import * as responses from '../cases/responses';
import { UNREADABLE_STORED_HISTORY } from '../cases/storedHistory';
import { HOSTILE_TEXTS, UNSAFE_CHARACTERS } from '../cases/text';
import { ACCEPTED_TOKENS, HOSTILE_TOKENS } from '../cases/tokens';

const ROOT = path.resolve(__dirname, '..', '..', '..');

/** A case's identity: its input (JSON, with `undefined` and NaN told apart from null). */
function key(value: unknown): string {
  return typeof value === 'number' && !Number.isFinite(value) ? String(value) : value === undefined ? 'undefined' : JSON.stringify(value);
}

describe('test/cases: the case tables and their figures', () => {
  const tables: [string, readonly unknown[]][] = [
    ['HOSTILE_OTP_IDS', HOSTILE_OTP_IDS.map(([, input]) => input)],
    ['ACCEPTED_OTP_IDS', ACCEPTED_OTP_IDS.map(([, input]) => input)],
    ['VERIFY_CODES', VERIFY_CODES.map(([code]) => code)],
    ['HOSTILE_TOKENS', HOSTILE_TOKENS.map(([, input]) => input)],
    ['ACCEPTED_TOKENS', ACCEPTED_TOKENS.map(([, input]) => input)],
    ['REFUSED_BASE_URLS', REFUSED_BASE_URLS.map(([, input]) => input)],
    ['BASE_URLS_WITH_PASSWORD', BASE_URLS_WITH_PASSWORD],
    ['BASE_URLS_WITH_UNSAFE_TEXT', BASE_URLS_WITH_UNSAFE_TEXT],
    ['ACCEPTED_BASE_URLS', ACCEPTED_BASE_URLS.map(([, input]) => input)],
    ['BROKEN_200_BODIES', responses.BROKEN_200_BODIES.map(([scenario]) => scenario)],
    ['RAW_STATUSES', responses.RAW_STATUSES.map(([scenario]) => scenario)],
    ['TRANSPORTS', responses.TRANSPORTS.map(([, scenario, limits]) => [scenario, limits])],
    ['MOCK_REDIRECTS', responses.MOCK_REDIRECTS.map(([scenario]) => scenario)],
    ['STATUS_CODES', responses.STATUS_CODES.map(([, source]) => source)],
    ['HOSTILE_ERRORS', responses.HOSTILE_ERRORS.map(([, status, body, reason]) => [status, body, reason])],
    ['RETRY_AFTER_CASES', responses.RETRY_AFTER_CASES.map(([, header]) => header)],
    ['UNREADABLE_RETRY_AFTER', responses.UNREADABLE_RETRY_AFTER],
    ['ODD_MAX_RETRIES', responses.ODD_MAX_RETRIES.map(([value]) => value)],
    ['PARSE_RETRY_AFTER', responses.PARSE_RETRY_AFTER.map(([header]) => header)],
    ['HTTP_ERROR_BODIES', responses.HTTP_ERROR_BODIES],
    ['UNREADABLE_STORED_HISTORY', UNREADABLE_STORED_HISTORY.map(([, raw]) => raw)],
    ['HOSTILE_TEXTS', HOSTILE_TEXTS],
    ['UNSAFE_CHARACTERS', UNSAFE_CHARACTERS],
  ];

  it('no table holds the same case twice', () => {
    for (const [name, inputs] of tables) {
      const keys = inputs.map(key);
      assert.deepEqual(
        keys.filter((k, i) => keys.indexOf(k) !== i),
        [],
        name,
      );
    }
  });

  it('each class has cases, a unique name, and names test files that exist', () => {
    const figures = reliabilityFigures();
    assert.equal(new Set(figures.map((f) => f.name)).size, figures.length);
    for (const figure of figures) {
      assert.ok(figure.cases > 0 && figure.checks >= figure.cases, figure.name);
      for (const file of figure.tests.split(', ')) {
        assert.ok(fs.existsSync(path.join(ROOT, 'test', 'unit', `${file}.test.ts`)), `${figure.name}: test/unit/${file}.test.ts`);
      }
    }
  });
});
