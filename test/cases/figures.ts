/**
 * The reliability matrix's figures, counted from the case tables (docs/RELIABILITY.md quotes them;
 * scripts/reliability-figures.js prints them). A figure here changes only when a table does. Pure data (no
 * `vscode`, no npm package), importable from plain Node and the extension host.
 *
 * - `cases`: distinct inputs in the tables of the class.
 * - `checks`: inputs × the entry points each goes through (a hostile otp_id is refused by the parser and by
 *   Get Status, Resend and Verify: four checks).
 * - `propertyRuns`: fast-check runs of the class's properties.
 */
import { ACCEPTED_BASE_URLS, BASE_URL_PROPERTY_RUNS, BASE_URLS_WITH_PASSWORD, BASE_URLS_WITH_UNSAFE_TEXT, REFUSED_BASE_URLS } from './baseUrls';
import { ACCEPTED_OTP_IDS, HOSTILE_OTP_IDS, OTP_ID_PROPERTY_RUNS, VERIFY_CODES } from './otpIds';
import {
  BACKOFF_WAITS,
  BROKEN_200_BODIES,
  EDGE_REDIRECTS,
  HOSTILE_ERRORS,
  HTTP_ERROR_BODIES,
  HTTP_STATUS_RANGE,
  MOCK_REDIRECTS,
  ODD_MAX_RETRIES,
  PARSE_RETRY_AFTER,
  RAW_STATUSES,
  REDIRECTS_ELSEWHERE,
  RETRY_AFTER_CASES,
  RETRY_SETTINGS,
  STATUS_CODES,
  TIME_ZONES,
  TRANSPORTS,
  UNREADABLE_RETRY_AFTER,
} from './responses';
import { HOSTILE_MODES } from '../mock/hostile';
import { UNREADABLE_STORED_HISTORY } from './storedHistory';
import { HOSTILE_TEXTS, TEXT_PROPERTY_RUNS, UNSAFE_CHARACTERS } from './text';
import { ACCEPTED_TOKENS, HOSTILE_TOKENS, TOKEN_PROPERTY_RUNS } from './tokens';

export interface ReliabilityClass {
  name: string;
  cases: number;
  checks: number;
  propertyRuns: number;
  /** How the cases break down, for the table's text. */
  detail: string;
  /** The unit test file(s) that iterate them. */
  tests: string;
}

const sum = (values: Record<string, number>) => Object.values(values).reduce((a, b) => a + b, 0);
const statuses = HTTP_STATUS_RANGE.last - HTTP_STATUS_RANGE.first + 1;
const stringTokens = HOSTILE_TOKENS.filter(([, input]) => typeof input === 'string').length;
const redirects = MOCK_REDIRECTS.length + REDIRECTS_ELSEWHERE.length + EDGE_REDIRECTS.length;
const retries = RETRY_SETTINGS.length + ODD_MAX_RETRIES.length + RETRY_AFTER_CASES.length + UNREADABLE_RETRY_AFTER.length + BACKOFF_WAITS.length;
const hostileCalls = Object.values(HOSTILE_MODES).reduce((n, mode) => n + mode.operations.length, 0);
const refusedUrls = REFUSED_BASE_URLS.length + BASE_URLS_WITH_PASSWORD.length + BASE_URLS_WITH_UNSAFE_TEXT.length;

/** Every class of the unit-level matrix, in the order docs/RELIABILITY.md lists them. */
export function reliabilityFigures(): ReliabilityClass[] {
  return [
    {
      name: 'Hostile 200 bodies',
      cases: BROKEN_200_BODIES.length + RAW_STATUSES.length,
      checks: BROKEN_200_BODIES.length + RAW_STATUSES.length,
      propertyRuns: 0,
      detail: `${BROKEN_200_BODIES.length} bodies without a usable status, ${RAW_STATUSES.length} strange statuses kept as sent`,
      tests: 'core/client/interpret',
    },
    {
      name: 'Transports',
      cases: TRANSPORTS.length,
      checks: TRANSPORTS.length,
      propertyRuns: 0,
      detail: `${TRANSPORTS.length} broken transports`,
      tests: 'core/client/transport',
    },
    {
      name: 'Redirects',
      cases: redirects,
      checks: redirects,
      propertyRuns: 0,
      detail: `${MOCK_REDIRECTS.length} of the mock, ${REDIRECTS_ELSEWHERE.length} to another origin, ${EDGE_REDIRECTS.length} loops / bad Location / POST`,
      tests: 'core/client/transport',
    },
    {
      name: 'Status codes',
      cases: STATUS_CODES.length,
      checks: STATUS_CODES.length,
      propertyRuns: 0,
      detail: `${STATUS_CODES.length} HTTP statuses of the mock`,
      tests: 'core/client/interpret',
    },
    {
      name: 'Hostile error text',
      cases: HOSTILE_ERRORS.length,
      checks: HOSTILE_ERRORS.length,
      propertyRuns: 0,
      detail: `${HOSTILE_ERRORS.length} error shapes carrying links and controls`,
      tests: 'core/client/interpret',
    },
    {
      name: 'Error model',
      cases: PARSE_RETRY_AFTER.length + HTTP_ERROR_BODIES.length,
      checks: PARSE_RETRY_AFTER.length * TIME_ZONES.length + statuses * HTTP_ERROR_BODIES.length,
      propertyRuns: 0,
      detail: `parseRetryAfter: ${PARSE_RETRY_AFTER.length} values × ${TIME_ZONES.length} time zones; httpError: ${statuses} statuses × ${HTTP_ERROR_BODIES.length} bodies`,
      tests: 'core/errors',
    },
    {
      name: '429 / 503',
      cases: retries,
      checks: retries,
      propertyRuns: 0,
      detail: `${RETRY_SETTINGS.length} retry settings, ${ODD_MAX_RETRIES.length} odd ones, ${RETRY_AFTER_CASES.length} Retry-After values honoured or not, ${UNREADABLE_RETRY_AFTER.length} unreadable, ${BACKOFF_WAITS.length} backoff jitters`,
      tests: 'core/client/retry',
    },
    {
      name: 'otp_id',
      cases: HOSTILE_OTP_IDS.length + ACCEPTED_OTP_IDS.length + VERIFY_CODES.length,
      checks: HOSTILE_OTP_IDS.length * 4 + ACCEPTED_OTP_IDS.length * 2 + VERIFY_CODES.length,
      propertyRuns: sum(OTP_ID_PROPERTY_RUNS),
      detail: `${HOSTILE_OTP_IDS.length} hostile (parser + Get Status, Resend, Verify), ${ACCEPTED_OTP_IDS.length} accepted (parser + over the socket), ${VERIFY_CODES.length} verify codes; resend and verify make 2 calls per property run`,
      tests: 'core/otpId, core/calls, core/client/client',
    },
    {
      name: 'Token',
      cases: HOSTILE_TOKENS.length + ACCEPTED_TOKENS.length,
      checks: HOSTILE_TOKENS.length + stringTokens + ACCEPTED_TOKENS.length * 2,
      propertyRuns: sum(TOKEN_PROPERTY_RUNS),
      detail: `${HOSTILE_TOKENS.length} hostile (rules; the ${stringTokens} strings also from the token source), ${ACCEPTED_TOKENS.length} accepted (rules + the header sent)`,
      tests: 'core/token, core/client/client',
    },
    {
      name: '`d7otp.baseUrl`',
      cases: refusedUrls + ACCEPTED_BASE_URLS.length,
      checks: REFUSED_BASE_URLS.length * 2 + BASE_URLS_WITH_PASSWORD.length + BASE_URLS_WITH_UNSAFE_TEXT.length + ACCEPTED_BASE_URLS.length,
      propertyRuns: sum(BASE_URL_PROPERTY_RUNS),
      detail: `${REFUSED_BASE_URLS.length} refused (rules + client), ${BASE_URLS_WITH_PASSWORD.length} holding a password, ${BASE_URLS_WITH_UNSAFE_TEXT.length} with controls or markup, ${ACCEPTED_BASE_URLS.length} accepted`,
      tests: 'core/baseUrl, core/client/client',
    },
    {
      name: 'Stored history',
      cases: UNREADABLE_STORED_HISTORY.length,
      checks: UNREADABLE_STORED_HISTORY.length,
      propertyRuns: 0,
      detail: `${UNREADABLE_STORED_HISTORY.length} unreadable stored shapes`,
      tests: 'core/history/store',
    },
    {
      name: 'Text helpers',
      cases: HOSTILE_TEXTS.length + UNSAFE_CHARACTERS.length,
      checks: HOSTILE_TEXTS.length * 3 + UNSAFE_CHARACTERS.length * 2,
      propertyRuns: sum(TEXT_PROPERTY_RUNS),
      detail: `${HOSTILE_TEXTS.length} hostile texts (oneLine; outcomeText as status and as code), ${UNSAFE_CHARACTERS.length} unsafe characters (oneLine, UNSAFE_TEXT)`,
      tests: 'core/text, features/history/rows',
    },
    {
      name: 'Hostile servers (issue 11)',
      cases: Object.keys(HOSTILE_MODES).length,
      checks: hostileCalls,
      propertyRuns: 0,
      detail: `${Object.keys(HOSTILE_MODES).length} modes of the mock × the calls each answers (${hostileCalls}), each checked for a UUID-or-no otp_id, no token, inert messages, a stored check ≤ 64 KiB, unique tree rows, no prototype polluted`,
      tests: 'core/calls.hostile',
    },
  ];
}
