/**
 * Every user-facing text of the vscode-free modules, as a code with parameters. A module says
 * `msg('tokenRejected', code)`; the VS Code layer words it through `vscode.l10n.t` (src/l10n.ts), plain-Node tests
 * and the log use `english`. The English templates here are the keys of l10n/bundle.l10n.json
 * (`npm run l10n` adds them beside the layer's own `vscode.l10n.t` strings).
 */

export const MESSAGES = {
  // otp_id and code input
  otpIdMissing: 'Enter an otp_id: a UUID such as {0}.',
  otpIdInvalid: '"{0}" ({1} characters) is not an otp_id: expected a UUID (8-4-4-4-12 hex digits) such as {2}.',
  codeInvalid: 'Enter the OTP code: 1 to 16 letters or digits.',
  profileGone: 'Profile {0} no longer exists: check this otp_id again with the active profile.',
  // token
  tokenEmpty: 'The API token is empty.',
  tokenUnsafe: 'The API token contains spaces, line breaks, control or non-ASCII characters; paste the token alone.',
  noToken: 'No API token set. Run "D7 OTP: Set API Token" first.',
  storedTokenUnusable: '{0} Run "D7 OTP: Set API Token" to store it again.',
  tokenForOtherOrigin:
    'No API token is stored for {0}: the stored one was set for {1}, and a token is only sent to the host it was set for. Run "D7 OTP: Set API Token" to store one for {0}.',
  // base URL ({0}: the setting that holds it)
  baseUrlEmpty: 'Setting {0} is empty: set it to https://api.d7networks.com.',
  baseUrlInvalid: 'Setting {0} is not a valid URL: "{1}".',
  baseUrlScheme: 'Setting {0} must use https:// (got {1}).',
  baseUrlPlainHttp:
    'Setting {0} uses http:// for {1}; plain http is allowed only for 127.0.0.1, ::1 and localhost, so the token is never sent unencrypted. Use https://.',
  baseUrlCredentials: 'Setting {0} must not contain a user name or password.',
  baseUrlNotOrigin: 'Setting {0} must be an origin only (like https://api.d7networks.com), without a path, query or fragment.',
  // transport
  cancelled: 'Cancelled.',
  cancelledWhileWaiting: 'Cancelled while waiting to retry.',
  redirectWithoutLocation: 'D7 answered a redirect (HTTP {0}) without a usable Location.',
  redirectElsewhere: 'D7 redirected to another host ({0}); not followed, so the token is not sent there.',
  redirectNotFollowed: 'D7 answered a redirect (HTTP {0}) that was not followed.',
  timedOut: 'No complete answer from {0} within {1}.',
  bodyCutShort: 'The connection to {0} closed before the answer was complete (HTTP {1}, body cut short).',
  connectionClosed: 'The connection to {0} closed before the answer was complete.',
  connectionReset: 'The connection to {0} was reset.',
  connectionRefused: 'Could not connect to {0} (connection refused). Check {1} and your network.',
  hostNotResolved: 'Could not resolve {0}. Check {1} and your network.',
  unreachable: 'Could not reach {0}: {1}',
  certificateUntrusted:
    "The certificate of {0} is not trusted ({1}), so the token was not sent. Behind a proxy that inspects TLS, add its root certificate to the system's trust store (http.proxyStrictSSL does not relax this check).",
  proxyUnreachable:
    'Could not connect to {0} through the proxy {1} (setting http.proxy, or the system proxy). Check that the proxy runs, or list the host in http.noProxy.',
  unreachableCode: 'Could not reach {0} ({1}): {2}',
  // answers that cannot be used
  bodyTooLarge: "D7's answer (HTTP {0}) is larger than the size cap; reading stopped there.",
  bodyEmpty: 'D7 answered HTTP {0} with an empty body (no status).',
  bodyNotJson: 'D7 answered HTTP {0} with a body that is not JSON.',
  bodyNotObject: 'D7 answered HTTP {0} with JSON that is {1}, not an object with a status.',
  bodyNoStatus: 'D7 answered HTTP {0} without a status field.',
  statusNotString: 'D7 answered HTTP {0} with a status that is {1}, not a string.',
  answerWithoutOtpId: 'D7 answered HTTP {0} without a usable otp_id (expected a UUID).',
  typeNull: 'null',
  typeArray: 'an array',
  typeString: 'a string',
  typeNumber: 'a number',
  typeBoolean: 'a boolean',
  typeObject: 'an object',
  // D7's errors ({0}: D7's code or "HTTP 401 Unauthorized"; {1}: D7's own words)
  tokenRejected: 'Token rejected by D7 ({0}). Set a valid API token.',
  tokenRejectedSaid: 'Token rejected by D7 ({0}): {1}. Set a valid API token.',
  accessDenied: "Access denied by D7 ({0}). Check that the token's application may use Verify.",
  accessDeniedSaid: "Access denied by D7 ({0}): {1}. Check that the token's application may use Verify.",
  notFound: 'No OTP with this id ({0})',
  notFoundSaid: 'No OTP with this id ({0}): {1}',
  refused: 'D7 refused the request ({0}): {1}',
  noReasonGiven: 'no reason given',
  rateLimited: 'D7 is rate limiting requests ({0}).',
  rateLimitedRetryAfter: 'D7 is rate limiting requests ({0}); it asked to retry after {1} s.',
  serverError: 'D7 server error ({0}). Try again later.',
  serverErrorSaid: 'D7 server error ({0}): {1}. Try again later.',
  d7TimedOut: 'D7 timed out handling the request ({0}).',
  unexpectedAnswer: 'Unexpected answer from D7 ({0}).',
  unexpectedAnswerSaid: 'Unexpected answer from D7 ({0}): {1}.',
  internalError: 'Unexpected internal error; see the log.',
  resendAllowedIn: '{0} A resend is allowed again in {1}.',
  // error kinds, short (tree rows, summaries)
  kindUnauthorized: 'token rejected',
  kindNotFound: 'not found',
  kindValidation: 'refused',
  kindRateLimited: 'rate limited',
  kindServer: 'server error',
  kindNetwork: 'network error',
  kindTimeout: 'timed out',
  kindCancelled: 'cancelled',
  kindBadResponse: 'bad response',
  kindConfig: 'not sent',
  // durations
  seconds: '{0} s',
  minutes: '{0} min',
  minutesSeconds: '{0} min {1} s',
  hours: '{0} h',
  hoursMinutes: '{0} h {1} min',
  // relative times
  justNow: 'just now',
  secondsAgo: '{0} s ago',
  minutesAgo: '{0} min ago',
  hoursAgo: '{0} h ago',
  daysAgo: '{0} d ago',
  // the same, as short as a tree row needs them
  rowNow: 'now',
  days: '{0} d',
  // the history view's rows (src/features/history/rows.ts)
  statusUnknown: 'unknown: {0}',
  withCode: '{0}: {1}',
  watchingFor: 'watching {0}',
  // what a screen reader says for a row: {0} the outcome, {1} when and a comma ("just now, "; nothing when the time
  // cannot be read), {2} the label and a comma (or nothing), {3} the otp_id
  a11yEntry: '{0}, {1}{2}otp_id {3}',
  // {0} the outcome, {1} the date and time, {2} operation, HTTP code, duration
  a11yCheck: '{0}, checked {1}, {2}',
  rowTimeline: 'Timeline',
  rowResentFrom: 'Resent from',
  rowResentAs: 'Resent as',
  fieldRetryAfter: 'retry after',
  fieldBodySize: 'body size',
  bodyCut: 'larger than the cap; cut',
  checksRecorded: '{0} check(s) recorded',
  checksRecordedPolls: '{0} checks recorded ({1} polls)',
  tooltipLabel: 'Label',
  tooltipTimeline: 'Timeline',
  entryUnreadable: 'Could not show this entry: {0}',
  partUnreadable: 'Could not show this part of the history: {0}',
  // Send OTP's options (src/features/verify/sendOptions.ts)
  optionUnknown: 'Unknown option "{0}". Known: {1}.',
  optionNotWholeNumber: '{0} must be a whole number.',
  codeLengthRange: 'otp_code_length must be 2 to 10.',
  recipientInvalid: 'Use E.164: + and 7 to 15 digits, e.g. +971501234567.',
  // stored history
  historyNewer: 'Stored history was written by a newer version (schema {0}); it was set aside unchanged.',
  historyUnknownSchema: 'Stored history has an unknown schema ({0}); it was set aside unchanged.',
  historyUnreadable: 'Stored history is not readable; it was set aside unchanged.',
  historyNoList: 'Stored history has no list of entries; it was set aside unchanged.',
  historyEntrySetAside: '1 stored history entry was unreadable and set aside.',
  historyEntriesSetAside: '{0} stored history entries were unreadable and set aside.',
  historyLineSetAside: '1 line of a history log was unreadable and set aside.',
  historyLinesSetAside: '{0} lines of history logs were unreadable and set aside.',
  historyLegacyBackup: 'History set aside by an earlier version (globalState key d7otp.history.backup), moved to a file.',
  setAsideFile: '{0} Kept in the set-aside file {1} (D7 OTP: Restore Set-Aside History lists it).',
  historyFolderUnreadable: 'The history folder could not be read ({0}); the history shows what this window records from now on.',
  setAsideFailed: '{0} It could not be kept in a set-aside file either: {1}',
  importCapsSetAside: 'Import: the history caps (d7otp.history.maxEntries / maxChecksPerEntry) had no room for these entries.',
  restoreCapsSetAside: 'Restore: the history caps (d7otp.history.maxEntries / maxChecksPerEntry) had no room for these entries.',
  // import files
  importNotJson: 'The file is not JSON ({0}). Import reads the JSON export.',
  importNewer: 'The file was written by a newer version (schema {0}); update the extension to import it.',
  importWrongVersion: 'The file is not a D7 OTP history export (schema version {0}).',
  importNoList: 'The file has no list of entries.',
  importRowCap: 'rows after the first {0} of the file (the most one import reads)',
  importNotExport: 'The file is not a D7 OTP history export.',
  rowProblem: '{0}: {1}',
  atEntry: 'entry {0}',
  atEntryId: 'entry {0} ({1})',
  atCheck: 'entry {0} ({1}), check {2}',
  // field rules of stored and imported checks ({0}: the field)
  notAnObject: 'not an object',
  noChecks: 'no list of checks',
  otherOtpId: 'its otpId is not {0}',
  fieldInvalid: '{0} is not {1}',
  failedWithoutError: 'a failed check without an error',
  okWithoutStatus: 'a successful check without a status',
  expectText: 'text',
  expectNumber: 'a number',
  expectBoolean: 'true or false',
  expectDate: 'an ISO date',
  expectUuid: 'a UUID',
  expectCount: 'a whole number of at least 1',
  expectHttpStatus: 'an HTTP status code',
  expectKind: 'a known error kind',
  expectOperation: 'status, send, resend or verify',
  expectIssues: 'a list of {loc, msg, type}',
  expectObject: 'an object',
  expectProfile: 'a profile name',
  // the bug-report block (src/core/share.ts)
  shareLabel: 'Label',
  shareProfile: 'Profile',
  shareRecipient: 'Recipient (masked)',
  shareAt: 'Checked at (UTC)',
  shareCall: 'Call',
  shareResult: 'Result',
  shareHttp: 'HTTP',
  shareDuration: 'Duration',
  shareCode: 'D7 code',
  shareMessage: 'Message',
  // links into the editor (src/core/links.ts)
  linkUnknownAction: 'This D7 OTP link asks for "{0}", which is not one of: {1}. Nothing was looked up.',
  linkNoOtpId: 'This D7 OTP link has no single {0} parameter. Nothing was looked up.',
  linkBadOtpId: 'This D7 OTP link does not carry an otp_id, so nothing was looked up: {0}',
  shareFooter: 'Copied from D7 OTP Inspector {0}. The API token is not included.',
} as const;

export type MessageId = keyof typeof MESSAGES;
export type MessageArg = string | number | Message;

/** A text to show, not yet worded: a code and its parameters. */
export interface Message {
  readonly id: MessageId;
  readonly args: readonly MessageArg[];
}

/** Turns a message into words (English here; `vscode.l10n.t` in the extension). */
export type Wording = (message: Message) => string;

export function msg(id: MessageId, ...args: MessageArg[]): Message {
  return { id, args };
}

/** Fills `{0}`, `{1}`… of a template; other braces are left as they are (as `vscode.l10n.t` does). */
export function fill(template: string, args: readonly (string | number)[]): string {
  return template.replace(/\{(\d+)\}/g, (whole, index: string) => (Number(index) < args.length ? String(args[Number(index)]) : whole));
}

/** The English wording, with nested messages worded too. */
export const english: Wording = (message) =>
  fill(
    MESSAGES[message.id],
    message.args.map((a) => (typeof a === 'object' ? english(a) : a)),
  );
