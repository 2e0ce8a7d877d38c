/** Every identifier the extension contributes or stores, in one place. Keep in sync with package.json. */

export const EXTENSION_ID = 'd7-otp-inspector.d7-otp-inspector';
export const LOG_CHANNEL_NAME = 'D7 OTP Inspector';

export const Commands = {
  setToken: 'd7otp.setToken',
  clearToken: 'd7otp.clearToken',
  checkStatus: 'd7otp.checkStatus',
  refreshAll: 'd7otp.refreshAll',
  showLog: 'd7otp.showLog',
  historyClear: 'd7otp.history.clear',
  historyCheckAgain: 'd7otp.history.checkAgain',
  historyCopyId: 'd7otp.history.copyId',
  historyCopyJson: 'd7otp.history.copyJson',
  historyRemove: 'd7otp.history.remove',
} as const;

export const Views = {
  container: 'd7otp',
  history: 'd7otp.history',
} as const;

export const ContextKeys = {
  hasToken: 'd7otp.hasToken',
  hasHistory: 'd7otp.hasHistory',
} as const;

export const Settings = {
  section: 'd7otp',
  baseUrl: 'baseUrl',
  requestTimeoutSeconds: 'requestTimeoutSeconds',
  maxRetries: 'retry.maxRetries',
  historyMaxEntries: 'history.maxEntries',
  historyMaxChecksPerEntry: 'history.maxChecksPerEntry',
} as const;

export const StorageKeys = {
  /** SecretStorage key of the API token (default profile). */
  token: 'd7otp.token',
  /** globalState key of the history document. */
  history: 'd7otp.history',
  /** globalState key where unreadable history is set aside instead of being deleted. */
  historyBackup: 'd7otp.history.backup',
} as const;

export const Defaults = {
  baseUrl: 'https://api.d7networks.com',
  requestTimeoutSeconds: 15,
  maxRetries: 2,
  historyMaxEntries: 200,
  historyMaxChecksPerEntry: 20,
  maxBodyBytes: 1024 * 1024,
} as const;
