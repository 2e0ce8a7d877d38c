/**
 * The extension's defaults and bounds, in one place: the settings' defaults (package.json states the same values;
 * test/unit/packageManifest.test.ts holds them together) and the limits the core applies. No `vscode` import.
 */
/** The implicit profile: `d7otp.baseUrl` and the secret `d7otp.token`, as before profiles existed. */
export const DEFAULT_PROFILE = 'default';

export const Defaults = {
  baseUrl: 'https://api.d7networks.com',
  requestTimeoutSeconds: 15,
  maxRetries: 2,
  historyMaxEntries: 200,
  historyMaxChecksPerEntry: 20,
  watchIntervalSeconds: 5,
  watchTimeoutSeconds: 660,
  watchMaxConcurrent: 10,
  watchNotify: true,
  watchResumeAfterReload: false,
  sendWatchAfterSend: true,
  verifyMaskCode: false,
  bulkConcurrency: 4,
  hoverEnabled: true,
  historySync: false,
  showPhoneNumbers: false,
  terminalLinks: true,
} as const;

export const Limits = {
  /** Body size cap: reading stops there. */
  maxBodyBytes: 1024 * 1024,
  /** The most automatic retries a call makes, whatever the setting says (the setting's own maximum). */
  maxRetries: 5,
  /** Longest Retry-After honoured automatically; a longer one ends the call. */
  maxRetryAfterSeconds: 30,
  /** First backoff delay when the server gives no Retry-After (doubled per retry, with jitter). */
  backoffBaseMs: 1000,
  /** Same-origin redirects a GET follows. */
  maxRedirects: 3,
  /** Longest label of a history entry. */
  maxLabel: 200,
  /** A watch's margin after the OTP's own expiry. */
  watchMarginMs: 60_000,
  /** Longest OTP expiry a watch believes (D7's answer, untrusted): a day, like d7otp.watch.timeoutSeconds' maximum. */
  maxWatchSeconds: 86_400,
  /** Longest Retry-After a watch waits before its next poll (its deadline comes first anyway). */
  maxWatchRetryAfterSeconds: 3600,
  /** Most otp_ids a bulk check asks about before starting, when the ids came from the UI. */
  bulkConfirmAbove: 20,
} as const;
