import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { isLoopbackHost, parseBaseUrl } from '../../../src/core/baseUrl';
import { english } from '../../../src/core/messages';
import {
  ACCEPTED_BASE_URLS,
  BASE_URL_PASSWORD,
  BASE_URL_PROPERTY_RUNS,
  BASE_URLS_WITH_PASSWORD,
  BASE_URLS_WITH_UNSAFE_TEXT,
  REFUSED_BASE_URLS,
} from '../../cases/baseUrls';
import { UNSAFE_CHARS } from '../helpers';

/** The refusal of `input`, worded: its message id and English text. */
function refusal(input: unknown, setting?: string): { id: string; text: string } {
  const parsed = parseBaseUrl(input, setting);
  assert.equal(parsed.ok, false, `${String(input)} is refused`);
  return parsed.ok ? { id: '', text: '' } : { id: parsed.message.id, text: english(parsed.message) };
}

describe('core/baseUrl', () => {
  describe('parseBaseUrl', () => {
    it(`${ACCEPTED_BASE_URLS.length} accepted values: https origins (any port), reduced to their origin`, () => {
      for (const [what, input, origin] of ACCEPTED_BASE_URLS) assert.deepEqual(parseBaseUrl(input), { ok: true, origin }, what);
    });

    it('the same value parsed again gives the answer kept from the last time; another value or setting is parsed anew', () => {
      const first = parseBaseUrl('https://api.example.com');
      assert.equal(parseBaseUrl('https://api.example.com'), first, 'the same answer');
      assert.deepEqual(parseBaseUrl('https://other.example.com'), { ok: true, origin: 'https://other.example.com' });
      assert.equal(refusal('ftp://x', 'd7otp.a').text.includes('d7otp.a'), true);
      assert.equal(refusal('ftp://x', 'd7otp.b').text.includes('d7otp.b'), true, 'the setting named is the one asked about');
      assert.deepEqual(parseBaseUrl('https://api.example.com'), first);
    });

    it('accepts http only for loopback hosts', () => {
      for (const url of ['http://127.0.0.1:7077', 'http://127.1.2.3', 'http://localhost:1', 'http://[::1]:8080']) assert.equal(parseBaseUrl(url).ok, true, url);
      for (const url of ['http://api.d7networks.com', 'http://10.0.0.1', 'http://localhost.evil.com', 'http://127.0.0.1.evil.com', 'http://[::2]']) {
        const { id, text } = refusal(url);
        assert.equal(id, 'baseUrlPlainHttp', url);
        assert.match(text, /^Setting d7otp\.baseUrl uses http:\/\//);
      }
    });

    it('says which rule a value breaks', () => {
      const rules: [unknown, string][] = [
        ['', 'baseUrlEmpty'],
        [42, 'baseUrlEmpty'],
        ['api.d7networks.com', 'baseUrlInvalid'],
        ['ftp://api.d7networks.com', 'baseUrlScheme'],
        ['javascript:alert(1)', 'baseUrlScheme'],
        ['https://user:pw@api.d7networks.com', 'baseUrlCredentials'],
        ['https://user@api.d7networks.com', 'baseUrlCredentials'],
        ['https://api.d7networks.com/verify', 'baseUrlNotOrigin'],
        ['https://api.d7networks.com?x=1', 'baseUrlNotOrigin'],
        ['https://api.d7networks.com/#x', 'baseUrlNotOrigin'],
      ];
      for (const [input, id] of rules) assert.equal(refusal(input).id, id, String(input));
    });

    it(`${REFUSED_BASE_URLS.length} refused values: each message names the setting, one printable line`, () => {
      for (const [what, input] of REFUSED_BASE_URLS) {
        const { text } = refusal(input);
        assert.match(text, /d7otp\.baseUrl/, what);
        assert.doesNotMatch(text, UNSAFE_CHARS, what);
      }
    });

    it('a value of spaces only is empty, not an invalid URL', () => {
      assert.equal(refusal('   ').id, 'baseUrlEmpty');
      assert.equal(refusal('\t\n').id, 'baseUrlEmpty');
    });

    it('an invalid URL is quoted with its scheme kept and everything up to the last "@" masked, spaces included', () => {
      assert.equal(refusal('https://us er:s3cret pass@exa mple.com').text, 'Setting d7otp.baseUrl is not a valid URL: "https://***@exa mple.com".');
      assert.equal(refusal('git+ssh://us er:pw@a b').text, 'Setting d7otp.baseUrl is not a valid URL: "git+ssh://***@a b".');
      assert.equal(refusal('a b c').text, 'Setting d7otp.baseUrl is not a valid URL: "a b c".');
    });

    it("names the setting it is given (a profile's base URL)", () => {
      assert.equal(
        refusal('http://example.com', 'd7otp.profiles[staging].baseUrl').text.startsWith('Setting d7otp.profiles[staging].baseUrl uses http://'),
        true,
      );
    });

    it(`${BASE_URLS_WITH_PASSWORD.length} refused values never echo the password or user name in them`, () => {
      for (const input of BASE_URLS_WITH_PASSWORD) {
        const { text } = refusal(input);
        assert.ok(!text.includes(BASE_URL_PASSWORD), `${input}: ${text}`);
      }
    });

    it(`${BASE_URLS_WITH_UNSAFE_TEXT.length} refused values with control characters, markup or length: a bounded inert line`, () => {
      for (const input of BASE_URLS_WITH_UNSAFE_TEXT) {
        const { text } = refusal(input);
        assert.doesNotMatch(text, UNSAFE_CHARS, JSON.stringify(input));
        assert.ok(text.length < 400 && !text.includes(']('), text);
      }
    });

    it(`property (${BASE_URL_PROPERTY_RUNS.origins} runs): an accepted value is an https origin or a loopback http origin`, () => {
      const urlish = fc.oneof(
        fc.webUrl({ withQueryParameters: true, withFragments: true, authoritySettings: { withUserInfo: true, withPort: true } }),
        fc.string({ unit: 'binary', maxLength: 60 }),
        fc.tuple(fc.constantFrom('http://', 'https://', 'HTTP://', 'ftp://', '//', 'http:/', 'https:'), fc.string({ maxLength: 40 })).map(([s, r]) => s + r),
      );
      fc.assert(
        fc.property(urlish, (input) => {
          const parsed = parseBaseUrl(input);
          if (!parsed.ok) return /d7otp\.baseUrl/.test(english(parsed.message)) && !UNSAFE_CHARS.test(english(parsed.message));
          const url = new URL(parsed.origin);
          const loopback = ['localhost', '[::1]'].includes(url.hostname) || /^127\.\d+\.\d+\.\d+$/.test(url.hostname);
          return parsed.origin === url.origin && (url.protocol === 'https:' || (url.protocol === 'http:' && loopback)) && !parsed.origin.includes('@');
        }),
        { numRuns: BASE_URL_PROPERTY_RUNS.origins },
      );
    });
  });

  describe('isLoopbackHost', () => {
    it('knows 127.0.0.0/8, ::1 and localhost, in any case or brackets', () => {
      for (const host of ['127.0.0.1', '127.255.0.9', '[::1]', '::1', 'LOCALHOST']) assert.equal(isLoopbackHost(host), true, host);
      // every octet after 127 may have one to three digits
      for (const host of ['127.0.10.1', '127.0.0.10', '127.0.100.255', '127.10.0.1']) assert.equal(isLoopbackHost(host), true, host);
      for (const host of ['127.0.0.1000', '127.0.1000.1', '127.0.0', '127..0.1']) assert.equal(isLoopbackHost(host), false, host);
      for (const host of ['128.0.0.1', '127.0.0.1.evil.com', 'localhost.evil.com', '::2', '[::ffff:127.0.0.1]', '0.0.0.0']) {
        assert.equal(isLoopbackHost(host), false, host);
      }
    });
  });
});
