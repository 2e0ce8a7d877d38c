/**
 * Reliability matrix, input side: hostile otp_ids, tokens and base URLs, refused before any request (the mock sees
 * nothing) or, where accepted, normalised so that they cannot change the request; fast-check properties over
 * random strings. Plain Node against the real mock. Prints `[reliability-count] <class>=<n>` lines.
 */
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import fetch from 'node-fetch';
import { parseBaseUrl } from '../../src/core/baseUrl';
import { D7VerifyClient, type ClientOptions, type FetchInit, type FetchLike } from '../../src/core/client';
import { parseOtpId } from '../../src/core/otpId';
import { parseToken, redactToken } from '../../src/core/token';
import type { StatusCheck } from '../../src/core/types';
import { MOCK_TOKEN, SCENARIOS, startMockServer, type MockServer } from '../mock/server';

const UUID = SCENARIOS.open;
const UNSAFE_CHARS = /[\p{Cc}\p{Zl}\p{Zp}\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/u;
const REPORT_PATH = /^\/verify\/v1\/report\/([^/?#]+)$/;
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const counts = new Map<string, number>();
function tally(cls: string, n = 1): void {
  counts.set(cls, (counts.get(cls) ?? 0) + n);
}

/** Every hostile otp_id the issue lists, and more of each kind. Each must be refused before any request. */
const HOSTILE_OTP_IDS: [string, unknown][] = [
  ['empty', ''],
  ['spaces', '   '],
  ['tabs and newlines', '\t\r\n'],
  ['only quotes', '""'],
  ['only single quotes', "''"],
  ['only curly quotes', '“”'],
  ['quotes with spaces', '" "'],
  ['an unbalanced quote', `"${UUID}`],
  ['a quote inside', `${UUID.slice(0, 8)}"${UUID.slice(8)}`],
  ['../', '../'],
  ['../ chain', '../../../etc/passwd'],
  ['../ before a UUID', `../${UUID}`],
  ['/.. after a UUID', `${UUID}/..`],
  ['%2e%2e/', '%2e%2e/'],
  ['%2e%2e%2f before a UUID', `%2e%2e%2f${UUID}`],
  ['%2F inside', `${UUID}%2F..`],
  ['an encoded UUID', encodeURIComponent(UUID).replace(/-/g, '%2D')],
  ['?', '?'],
  ['? query after a UUID', `${UUID}?x=1`],
  ['#', '#'],
  ['# fragment after a UUID', `${UUID}#frag`],
  ['/', '/'],
  ['leading /', `/${UUID}`],
  ['trailing /', `${UUID}/`],
  ['backslash', `${UUID}\\..`],
  ['very long (10 000 characters)', 'a'.repeat(10_000)],
  ['a UUID with 5 000 more hex digits', `${UUID}${'0'.repeat(5000)}`],
  ['fullwidth digits (look-alike)', UUID.replace(/[0-9]/g, (d) => String.fromCharCode(0xff10 + Number(d)))],
  ['Cyrillic а and е (look-alikes)', UUID.replace(/a/g, '\u0430').replace(/e/g, '\u0435')],
  ['hyphen look-alike U+2010', UUID.replace(/-/g, '\u2010')],
  ['minus sign U+2212', UUID.replace(/-/g, '\u2212')],
  ['en dash', UUID.replace(/-/g, '–')],
  ['a zero-width space inside', `${UUID.slice(0, 9)}\u200b${UUID.slice(9)}`],
  ['a right-to-left override inside', `${UUID.slice(0, 9)}\u202e${UUID.slice(9)}`],
  ['a soft hyphen inside', `${UUID.slice(0, 9)}\u00ad${UUID.slice(9)}`],
  ['newline injection', `${UUID}\r\nHost: evil.example`],
  ['newline then a header', `${UUID}\nX-Injected: 1`],
  ['a NUL after', `${UUID}\u0000`],
  ['two UUIDs', `${UUID} ${UUID}`],
  ['a UUID missing a digit', UUID.slice(0, -1)],
  ['a UUID with a g', `g${UUID.slice(1)}`],
  ['a UUID without hyphens', UUID.replace(/-/g, '')],
  ['a UUID in braces', `{${UUID}}`],
  ['urn:uuid:', `urn:uuid:${UUID}`],
  ['markup', `<img src=x onerror=alert(1)>`],
  ['a command link', `[x](command:workbench.action.quit)`],
  ['"null"', 'null'],
  ['"undefined"', 'undefined'],
  ['null (not a string)', null],
  ['undefined (not a string)', undefined],
  ['a number', 42],
  ['an object', { otpId: UUID }],
  ['an array', [UUID]],
];

/** Inputs that are accepted, and the exact otp_id they must come out as. */
const ACCEPTED_OTP_IDS: [string, string, string][] = [
  ['plain', UUID, UUID],
  ['upper case (case kept)', UUID.toUpperCase(), UUID.toUpperCase()],
  ['surrounding spaces', `   ${UUID}  `, UUID],
  ['surrounding newlines', `\n${UUID}\r\n`, UUID],
  ['double quotes', `"${UUID}"`, UUID],
  ['single quotes', `'${UUID}'`, UUID],
  ['backticks', `\`${UUID}\``, UUID],
  ['curly quotes', `“${UUID}”`, UUID],
  ['quotes and spaces', ` " ${UUID} " `, UUID],
  ['a BOM before', `\ufeff${UUID}`, UUID],
];

const HOSTILE_TOKENS: [string, unknown][] = [
  ['empty', ''],
  ['spaces only', '   '],
  ['"Bearer" alone', 'Bearer'],
  ['"Bearer " alone', 'Bearer   '],
  ['"Bearer Bearer"', 'Bearer Bearer'],
  ['a newline inside', 'abc\ndef'],
  ['CRLF header injection', 'abc\r\nX-Injected: 1'],
  ['a trailing CRLF header', `${MOCK_TOKEN}\r\nHost: evil.example`],
  ['a NUL', 'abc\u0000def'],
  ['an escape sequence', 'abc\u001b[31mdef'],
  ['DEL', 'abc\u007fdef'],
  ['a C1 control', 'abc\u0085def'],
  ['an inner space', 'abc def'],
  ['a tab inside', 'abc\tdef'],
  ['non-ASCII (é)', 'abcé'],
  ['a zero-width space', 'abc\u200bdef'],
  ['a line separator', 'abc\u2028def'],
  ['a right-to-left override', 'abc\u202edef'],
  ['an emoji', 'abc🔑'],
  ['not a string (null)', null],
  ['not a string (number)', 12345],
];

const ACCEPTED_TOKENS: [string, string, string][] = [
  ['plain', 'abc.def-ghi_jkl', 'abc.def-ghi_jkl'],
  ['surrounding whitespace', '  \n abc.def \t\r\n', 'abc.def'],
  ['a pasted "Bearer " prefix', 'Bearer abc.def', 'abc.def'],
  ['lower-case "bearer"', 'bearer abc.def', 'abc.def'],
  ['"BEARER" and a tab', 'BEARER\tabc.def', 'abc.def'],
  ['"Bearer" twice', 'Bearer Bearer abc.def', 'abc.def'],
  ['"Bearer" with spaces around', '  Bearer   abc.def  ', 'abc.def'],
  ['the mock JWT', MOCK_TOKEN, MOCK_TOKEN],
];

const REFUSED_BASE_URLS: [string, unknown][] = [
  ['empty', ''],
  ['not a string', 42],
  ['not a URL', 'api.d7networks.com'],
  ['credentials', 'https://user:pass@api.d7networks.com'],
  ['a user name only', 'https://user@api.d7networks.com'],
  ['credentials on loopback http', 'http://user:pass@127.0.0.1:8080'],
  ['a path', 'https://api.d7networks.com/verify'],
  ['a trailing path after a backslash', 'https://api.d7networks.com\\@evil.example'],
  ['a query', 'https://api.d7networks.com/?x=1'],
  ['an empty query', 'https://api.d7networks.com?'],
  ['a fragment', 'https://api.d7networks.com#x'],
  ['an empty fragment', 'https://api.d7networks.com/#'],
  ['ftp://', 'ftp://api.d7networks.com'],
  ['file://', 'file:///etc/passwd'],
  ['javascript:', 'javascript:alert(1)'],
  ['data:', 'data:text/plain,hi'],
  ['ws://', 'ws://127.0.0.1:8080'],
  ['http to a public host', 'http://api.d7networks.com'],
  ['http to a private address', 'http://10.0.0.1'],
  ['http to 0.0.0.0', 'http://0.0.0.0:8080'],
  ['http to a host that starts like loopback', 'http://127.0.0.1.evil.example'],
  ['http to localhost as a subdomain', 'http://localhost.evil.example'],
  ['http to an IPv4-mapped IPv6 loopback', 'http://[::ffff:127.0.0.1]:8080'],
  ['credentials hidden in an invalid URL', 'https://user:s3cret-pass@exa mple.com'],
];

const ACCEPTED_BASE_URLS: [string, string, string][] = [
  ['D7', 'https://api.d7networks.com', 'https://api.d7networks.com'],
  ['D7 with a slash', 'https://api.d7networks.com/', 'https://api.d7networks.com'],
  ['D7 with spaces around', '  https://api.d7networks.com  ', 'https://api.d7networks.com'],
  ['https with a port', 'https://api.d7networks.com:8443', 'https://api.d7networks.com:8443'],
  ['loopback http', 'http://127.0.0.1:8080', 'http://127.0.0.1:8080'],
  ['localhost http', 'http://localhost:8080', 'http://localhost:8080'],
  ['IPv6 loopback http', 'http://[::1]:8080', 'http://[::1]:8080'],
  ['127/8 http', 'http://127.1.2.3:8080', 'http://127.1.2.3:8080'],
  ['an encoded dot segment (normalised away by the URL parser)', 'https://api.d7networks.com/%2e', 'https://api.d7networks.com'],
];

describe('reliability matrix: hostile input', function () {
  let mock: MockServer;

  before(async () => {
    mock = await startMockServer();
  });
  after(async () => {
    await mock.close();
    for (const [cls, n] of counts) console.log(`      [reliability-count] ${cls}=${n}`);
  });
  beforeEach(() => mock.reset());

  function client(overrides: Partial<ClientOptions> = {}): D7VerifyClient {
    return new D7VerifyClient({
      fetch: fetch as unknown as FetchLike,
      baseUrl: () => mock.url,
      token: async () => MOCK_TOKEN,
      timeoutMs: () => 3000,
      sleep: async () => undefined,
      ...overrides,
    });
  }

  function assertRefusedBeforeRequest(result: StatusCheck, what: string): void {
    assert.equal(result.ok, false, `${what}: refused`);
    assert.equal(result.error?.kind, 'config', `${what}: ${result.error?.message}`);
    assert.doesNotMatch(result.error?.message ?? '', UNSAFE_CHARS, `${what}: the message is one printable line`);
    assert.ok((result.error?.message.length ?? 0) < 400, `${what}: a short message`);
    assert.equal(result.httpStatus, undefined);
  }

  describe('otp_id', () => {
    it(`${HOSTILE_OTP_IDS.length} hostile otp_ids: refused by Get Status, Resend and Verify before any request`, async () => {
      const c = client();
      for (const [what, input] of HOSTILE_OTP_IDS) {
        tally('input.otpId');
        assert.equal(parseOtpId(input).ok, false, `${what} is not an otp_id`);
        for (const [call, result] of [
          ['getStatus', await c.getStatus(input as string)],
          ['resendOtp', await c.resendOtp(input as string)],
          ['verifyOtp', await c.verifyOtp(input as string, '123456')],
        ] as const) {
          assertRefusedBeforeRequest(result, `${call} ${what}`);
          assert.equal(result.otpId, '', `${call} ${what}: no otp_id to file the record under`);
        }
      }
      assert.equal(mock.requests.length, 0, 'the mock saw nothing');
    });

    it(`${ACCEPTED_OTP_IDS.length} accepted spellings: trimmed and unquoted, sent as exactly one path segment`, async () => {
      const c = client();
      for (const [what, input, expected] of ACCEPTED_OTP_IDS) {
        tally('input.otpId');
        mock.reset();
        const result = await c.getStatus(input);
        assert.equal(result.ok, true, `${what}: ${result.error?.message}`);
        assert.equal(result.otpId, expected, what);
        assert.deepEqual(mock.requests.map((r) => r.path), [`/verify/v1/report/${expected}`], what);
      }
    });

    it('verify codes: only 1 to 16 letters or digits reach the request body', async () => {
      const c = client();
      for (const code of ['', ' ', '12 34', '1234\n', '12345678901234567', '<b>1</b>', '١٢٣٤', '"1234"', '1234\r\nX: y', '../1']) {
        tally('input.otpId');
        const result = await c.verifyOtp(UUID, code);
        if (code === '1234\n') {
          assert.equal(result.error?.kind === 'config', false, 'a trailing newline is trimmed');
          continue;
        }
        assertRefusedBeforeRequest(result, `code ${JSON.stringify(code)}`);
      }
      assert.ok(mock.requests.every((r) => JSON.parse(r.body).otp_code === '1234'));
    });
  });

  describe('otp_id properties (fast-check)', () => {
    /** A fetch that records each URL and answers OPEN without a socket (fast enough for thousands of runs). */
    function recording(): { fetch: FetchLike; urls: string[]; inits: FetchInit[] } {
      const urls: string[] = [];
      const inits: FetchInit[] = [];
      return {
        urls,
        inits,
        fetch: async (url, init) => {
          urls.push(url);
          inits.push(init);
          return { status: 200, statusText: 'OK', headers: { get: () => null }, body: '{"status":"OPEN"}' };
        },
      };
    }

    /** The property: no request, or exactly one GET whose path is /verify/v1/report/<one segment that decodes to a UUID>. */
    function pathStaysOneSegment(urls: string[], result: StatusCheck): boolean {
      if (urls.length === 0) return result.error?.kind === 'config';
      if (urls.length !== 1) return false;
      const url = new URL(urls[0]);
      const match = REPORT_PATH.exec(url.pathname);
      return (
        url.origin === new URL(mock.url).origin &&
        url.search === '' &&
        url.hash === '' &&
        !!match &&
        UUID_RE.test(decodeURIComponent(match[1])) &&
        urls[0] === `${mock.url}/verify/v1/report/${match[1]}`
      );
    }

    const hostileAlphabet = fc.constantFrom(
      '/', '\\', '.', '..', '%', '%2e', '%2f', '%2F', '?', '#', '&', '=', ' ', '\t', '\n', '\r', '\u0000', '"', "'", '`', '“', '”',
      '\u200b', '\u202e', '\u2028', '\ufeff', '\u00a0', '－', '\u2010', 'а', 'е', '０', '<', '>', '[', ']', '(', ')', ':', '@', '+', '~',
    );
    const hostileString = fc.array(fc.oneof(hostileAlphabet, fc.string({ maxLength: 3 })), { maxLength: 12 }).map((parts) => parts.join(''));
    /** A UUID in random mixed case. */
    const anyUuid = fc
      .tuple(fc.uuid(), fc.array(fc.boolean(), { minLength: 36, maxLength: 36 }))
      .map(([u, upper]) => u.replace(/./g, (c, i: number) => (upper[i] ? c.toUpperCase() : c)));
    const arbitraries: [string, fc.Arbitrary<string>, number][] = [
      ['binary strings (any UTF-16, lone surrogates too)', fc.string({ unit: 'binary', maxLength: 120 }), 1500],
      ['grapheme strings (full Unicode)', fc.string({ unit: 'grapheme', maxLength: 60 }), 1000],
      ['hostile fragments', hostileString, 1500],
      ['a UUID with hostile text before and after', fc.tuple(hostileString, anyUuid, hostileString).map(([a, u, b]) => a + u + b), 1500],
      [
        'a UUID with one character replaced by a hostile one',
        fc.tuple(anyUuid, fc.nat(35), hostileAlphabet).map(([u, i, ch]) => u.slice(0, i) + ch + u.slice(i + 1)),
        1000,
      ],
      [
        'a UUID with a hostile character inserted',
        fc.tuple(anyUuid, fc.nat(36), hostileAlphabet).map(([u, i, ch]) => u.slice(0, i) + ch + u.slice(i)),
        1000,
      ],
      ['a UUID wrapped in whitespace and quotes', fc.tuple(fc.constantFrom('', ' ', '\n', '\t', '"', "'", '`', '“'), anyUuid).map(([q, u]) => `${q}${u}${q === '“' ? '”' : q}`), 500],
      [
        'partly percent-encoded UUIDs',
        fc
          .tuple(anyUuid, fc.array(fc.boolean(), { minLength: 36, maxLength: 36 }))
          .map(([u, encode]) => u.replace(/./g, (c, i: number) => (encode[i] ? `%${c.charCodeAt(0).toString(16)}` : c))),
        500,
      ],
    ];

    for (const [what, arbitrary, numRuns] of arbitraries) {
      it(`${what}: ${numRuns} runs, the request path always stays /verify/v1/report/<one segment>`, async () => {
        const rec = recording();
        const c = client({ fetch: rec.fetch });
        await fc.assert(
          fc.asyncProperty(arbitrary, async (input) => {
            rec.urls.length = 0;
            const result = await c.getStatus(input);
            // When sent, the recorded otp_id is the UUID that went into the path.
            return pathStaysOneSegment(rec.urls, result) && (rec.urls.length === 0 || (UUID_RE.test(result.otpId) && rec.urls[0].endsWith(`/${result.otpId}`)));
          }),
          { numRuns },
        );
        tally('property.otpIdRuns', numRuns);
      });
    }

    it('wrapped UUIDs are always accepted (500 runs): whitespace and matching quotes never cost a lookup', async () => {
      const rec = recording();
      const c = client({ fetch: rec.fetch });
      const wrapped = fc.tuple(fc.uuid(), fc.array(fc.constantFrom(' ', '\n', '\t', '\r'), { maxLength: 3 }), fc.constantFrom(['', ''], ['"', '"'], ["'", "'"], ['“', '”'], ['‘', '’']));
      await fc.assert(
        fc.asyncProperty(wrapped, async ([u, ws, [open, close]]) => {
          rec.urls.length = 0;
          const pad = ws.join('');
          const result = await c.getStatus(`${pad}${open}${pad}${u}${pad}${close}${pad}`);
          return result.ok && result.otpId === u && rec.urls.length === 1 && rec.urls[0].endsWith(`/verify/v1/report/${u}`);
        }),
        { numRuns: 500 },
      );
      tally('property.otpIdRuns', 500);
    });

    it('resend and verify (1000 runs each): the body carries a UUID and the path never changes', async () => {
      const rec = recording();
      const c = client({ fetch: rec.fetch });
      const input = fc.oneof(hostileString, fc.tuple(hostileString, fc.uuid(), hostileString).map(([a, u, b]) => a + u + b), fc.uuid());
      await fc.assert(
        fc.asyncProperty(input, async (value) => {
          rec.urls.length = 0;
          rec.inits.length = 0;
          const resend = await c.resendOtp(value);
          const verify = await c.verifyOtp(value, '1234');
          if (rec.urls.length === 0) return resend.error?.kind === 'config' && verify.error?.kind === 'config';
          const paths = rec.urls.map((u) => new URL(u).pathname);
          const ids = rec.inits.map((i) => (JSON.parse(i.body ?? '{}') as { otp_id?: string }).otp_id ?? '');
          return (
            paths.join() === '/verify/v1/otp/resend-otp,/verify/v1/otp/verify-otp' &&
            rec.urls.every((u) => u.startsWith(`${mock.url}/verify/v1/otp/`) && !u.includes('?') && !u.includes('#')) &&
            ids.every((id) => UUID_RE.test(id))
          );
        }),
        { numRuns: 1000 },
      );
      tally('property.otpIdRuns', 2000);
    });

    it('against the real mock over a socket (300 runs): the mock records only /verify/v1/report/<UUID>', async () => {
      const c = client();
      const input = fc.oneof(hostileString, fc.tuple(hostileString, fc.uuid(), hostileString).map(([a, u, b]) => a + u + b), fc.uuid());
      await fc.assert(
        fc.asyncProperty(input, async (value) => {
          mock.reset();
          const result = await c.getStatus(value);
          if (mock.requests.length === 0) return result.error?.kind === 'config';
          const match = mock.requests.length === 1 ? REPORT_PATH.exec(mock.requests[0].path) : null;
          return !!match && UUID_RE.test(match[1]) && mock.requests[0].method === 'GET';
        }),
        { numRuns: 300 },
      );
      tally('property.otpIdRuns', 300);
    });
  });

  describe('token', () => {
    it(`${HOSTILE_TOKENS.length} hostile tokens refused by the token rules, the message never echoing them`, () => {
      for (const [what, input] of HOSTILE_TOKENS) {
        tally('input.token');
        const parsed = parseToken(input);
        assert.equal(parsed.ok, false, what);
        if (!parsed.ok) {
          assert.doesNotMatch(parsed.message, UNSAFE_CHARS, what);
          if (typeof input === 'string' && input.trim().length > 3) assert.ok(!parsed.message.includes(input.trim()), `${what}: not echoed`);
        }
      }
    });

    it(`${ACCEPTED_TOKENS.length} accepted spellings: trimmed, a pasted "Bearer " stripped`, () => {
      for (const [what, input, expected] of ACCEPTED_TOKENS) {
        tally('input.token');
        assert.deepEqual(parseToken(input), { ok: true, token: expected }, what);
      }
    });

    it('a hostile token from the token source never reaches a request: refused as config, nothing sent', async () => {
      for (const [what, input] of HOSTILE_TOKENS) {
        if (typeof input !== 'string') continue;
        tally('input.token');
        const result = await client({ token: async () => input }).getStatus(UUID);
        assertRefusedBeforeRequest(result, `token ${what}`);
        assert.ok(!JSON.stringify(result).includes(input.trim()) || input.trim().length < 4, `${what}: not echoed`);
      }
      assert.equal(mock.requests.length, 0);
    });

    it('a token source that hands over a pasted "Bearer " prefix or whitespace: the header is "Bearer <token>", once', async () => {
      for (const [what, input, expected] of ACCEPTED_TOKENS) {
        tally('input.token');
        mock.reset();
        await client({ token: async () => input }).getStatus(UUID);
        assert.equal(mock.requests[0].headers.authorization, `Bearer ${expected}`, what);
      }
    });

    it('property (2000 runs): an accepted token is printable ASCII without spaces and never starts with "Bearer "', () => {
      fc.assert(
        fc.property(fc.oneof(fc.string({ unit: 'binary', maxLength: 40 }), fc.string().map((s) => `Bearer ${s}`), fc.string().map((s) => ` \n${s}\t`)), (input) => {
          const parsed = parseToken(input);
          return !parsed.ok || (/^[\x21-\x7e]+$/.test(parsed.token) && !/^bearer\s/i.test(parsed.token));
        }),
        { numRuns: 2000 },
      );
      tally('property.tokenRuns', 2000);
    });

    it('property (1000 runs): redactToken removes the token and its base64 and URL-encoded forms from any text', () => {
      const token = fc.string({ unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-~+/='.split('')), minLength: 8, maxLength: 80 });
      fc.assert(
        fc.property(token, fc.string({ maxLength: 30 }), fc.string({ maxLength: 30 }), (t, before, after) => {
          const forms = [t, encodeURIComponent(t), Buffer.from(t).toString('base64'), Buffer.from(`Bearer ${t}`).toString('base64')];
          const text = forms.map((f) => `${before}${f}${after}`).join(' | ');
          const out = redactToken(text, t);
          return forms.every((f) => !out.includes(f));
        }),
        { numRuns: 1000 },
      );
      tally('property.tokenRuns', 1000);
    });
  });

  describe('d7otp.baseUrl', () => {
    it(`${REFUSED_BASE_URLS.length} refused values: each message names the setting; the client sends nothing`, async () => {
      for (const [what, input] of REFUSED_BASE_URLS) {
        tally('input.baseUrl');
        const parsed = parseBaseUrl(input);
        assert.equal(parsed.ok, false, `${what} (${String(input)}) is refused`);
        if (parsed.ok) continue;
        assert.match(parsed.message, /d7otp\.baseUrl/, what);
        assert.doesNotMatch(parsed.message, UNSAFE_CHARS, what);
        const result = await client({ baseUrl: () => input as string }).getStatus(UUID);
        assertRefusedBeforeRequest(result, `baseUrl ${what}`);
        assert.match(result.error?.message ?? '', /d7otp\.baseUrl/);
      }
      assert.equal(mock.requests.length, 0);
    });

    it('a refused value never echoes a password or user name from it', () => {
      for (const input of ['https://user:s3cret-pass@exa mple.com', 'https://user:s3cret-pass@api.d7networks.com', 'ftp://user:s3cret-pass@host', 'http://user:s3cret-pass@10.0.0.1', 'https://user:s3cret-pass@api.d7networks.com/path?q#f', 'user:s3cret-pass@', '::s3cret-pass@@', 'https://user:s3cret-pass/with+slash@127.0.0.1', 'https://u:s3cret-pass@x@y z']) {
        tally('input.baseUrl');
        const parsed = parseBaseUrl(input);
        assert.equal(parsed.ok, false);
        if (!parsed.ok) assert.ok(!parsed.message.includes('s3cret-pass'), `${input}: ${parsed.message}`);
      }
    });

    it('a refused value with control characters or markup yields a one-line message', () => {
      for (const input of ['https://exa\u0000mple.com/\r\nX', 'ht\u202etps://x', 'not a url \u2028 [x](command:workbench.action.quit)', `https://${'a'.repeat(5000)}.com/x`]) {
        tally('input.baseUrl');
        const parsed = parseBaseUrl(input);
        assert.equal(parsed.ok, false, JSON.stringify(input));
        if (!parsed.ok) {
          assert.doesNotMatch(parsed.message, UNSAFE_CHARS);
          assert.ok(parsed.message.length < 400);
        }
      }
    });

    it(`${ACCEPTED_BASE_URLS.length} accepted values: reduced to their origin`, () => {
      for (const [what, input, origin] of ACCEPTED_BASE_URLS) {
        tally('input.baseUrl');
        assert.deepEqual(parseBaseUrl(input), { ok: true, origin }, what);
      }
    });

    it('property (2000 runs): whatever the value, an accepted base URL is an https origin or a loopback http origin', () => {
      const urlish = fc.oneof(
        fc.webUrl({ withQueryParameters: true, withFragments: true, authoritySettings: { withUserInfo: true, withPort: true } }),
        fc.string({ unit: 'binary', maxLength: 60 }),
        fc.tuple(fc.constantFrom('http://', 'https://', 'HTTP://', 'ftp://', '//', 'http:/', 'https:'), fc.string({ maxLength: 40 })).map(([s, r]) => s + r),
      );
      fc.assert(
        fc.property(urlish, (input) => {
          const parsed = parseBaseUrl(input);
          if (!parsed.ok) return /d7otp\.baseUrl/.test(parsed.message) && !UNSAFE_CHARS.test(parsed.message);
          const url = new URL(parsed.origin);
          const loopback = ['localhost', '[::1]'].includes(url.hostname) || /^127\.\d+\.\d+\.\d+$/.test(url.hostname);
          return parsed.origin === url.origin && (url.protocol === 'https:' || (url.protocol === 'http:' && loopback)) && !parsed.origin.includes('@');
        }),
        { numRuns: 2000 },
      );
      tally('property.baseUrlRuns', 2000);
    });
  });
});
