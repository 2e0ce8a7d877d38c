/**
 * Every identifier the extension contributes or stores, in one place. Keep in sync with package.json
 * (test/unit/packageManifest.test.ts checks it). Defaults and limits are in src/core/defaults.ts.
 */

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
  watchStatus: 'd7otp.watchStatus',
  stopWatching: 'd7otp.stopWatching',
  stopAllWatches: 'd7otp.stopAllWatches',
  historyWatch: 'd7otp.history.watch',
  historyStopWatching: 'd7otp.history.stopWatching',
  switchProfile: 'd7otp.switchProfile',
  addProfile: 'd7otp.addProfile',
  removeProfile: 'd7otp.removeProfile',
  sendOtp: 'd7otp.sendOtp',
  resendOtp: 'd7otp.resendOtp',
  verifyOtp: 'd7otp.verifyOtp',
  historyResend: 'd7otp.history.resend',
  historyVerify: 'd7otp.history.verify',
  focusView: 'd7otp.history.focus',
  checkAllInSelection: 'd7otp.checkAllInSelection',
  checkStatusAtCursor: 'd7otp.checkStatusAtCursor',
  historyOpenJson: 'd7otp.history.openJson',
  historyExport: 'd7otp.history.export',
  historyImport: 'd7otp.history.import',
  historySetLabel: 'd7otp.history.setLabel',
  showTokenInfo: 'd7otp.showTokenInfo',
  historyReveal: 'd7otp.history.reveal',
  historyFilterByProfile: 'd7otp.history.filterByProfile',
  historyShowAllProfiles: 'd7otp.history.showAllProfiles',
  historyRestoreSetAside: 'd7otp.history.restoreSetAside',
  tryDemo: 'd7otp.tryDemo',
  historyCopyCurl: 'd7otp.history.copyCurl',
  historyCopyMarkdown: 'd7otp.history.copyMarkdown',
  historyCopyLink: 'd7otp.history.copyLink',
} as const;

/** Language-model tools (contributes.languageModelTools): names an agent calls them by. */
export const Tools = {
  getStatus: 'd7otp_getStatus',
  getHistory: 'd7otp_getHistory',
  watchStatus: 'd7otp_watchStatus',
  sendOtp: 'd7otp_sendOtp',
  resendOtp: 'd7otp_resendOtp',
} as const;

export const Views = {
  container: 'd7otp',
  history: 'd7otp.history',
} as const;

export const Schemes = {
  /** Read-only virtual documents holding one history entry as JSON (Open as JSON). */
  history: 'd7otp-history',
} as const;

export const ContextKeys = {
  hasToken: 'd7otp.hasToken',
  hasHistory: 'd7otp.hasHistory',
  watching: 'd7otp.watching',
  filteredByProfile: 'd7otp.filteredByProfile',
  /** True when the editor's selection, or the word at the cursor, is an otp_id. */
  editorHasOtpId: 'd7otp.editorHasOtpId',
  /**
   * True when the active editor's document holds an otp_id anywhere: the editor menu's key. It is known before a
   * right-click, which `editorHasOtpId` is not (the click moves the cursor just as the menu opens).
   */
  documentHasOtpId: 'd7otp.documentHasOtpId',
} as const;

export const Settings = {
  section: 'd7otp',
  baseUrl: 'baseUrl',
  requestTimeoutSeconds: 'requestTimeoutSeconds',
  maxRetries: 'retry.maxRetries',
  historyMaxEntries: 'history.maxEntries',
  historyMaxChecksPerEntry: 'history.maxChecksPerEntry',
  profiles: 'profiles',
  watchIntervalSeconds: 'watch.intervalSeconds',
  watchTimeoutSeconds: 'watch.timeoutSeconds',
  watchMaxConcurrent: 'watch.maxConcurrent',
  watchNotify: 'watch.notify',
  watchResumeAfterReload: 'watch.resumeAfterReload',
  sendWatchAfterSend: 'send.watchAfterSend',
  verifyMaskCode: 'verify.maskCode',
  bulkConcurrency: 'bulk.concurrency',
  hoverEnabled: 'hover.enabled',
  hoverLanguages: 'hover.languages',
  historySync: 'history.sync',
  showPhoneNumbers: 'privacy.showPhoneNumbers',
  terminalLinks: 'terminal.links',
} as const;

export const StorageKeys = {
  /** SecretStorage key of the API token (default profile). */
  token: 'd7otp.token',
  /**
   * globalState key of the history's copy for Settings Sync (with d7otp.history.sync on; empty otherwise). Versions
   * before 0.2 kept the whole history here: it is read once as a migration. The history itself is in files under
   * globalStorageUri (docs/STORAGE.md).
   */
  history: 'd7otp.history',
  /** globalState key where versions before 0.2 set unreadable history aside: moved to a set-aside file at load. */
  historyBackup: 'd7otp.history.backup',
  /** globalState key of the active profile's name (absent = default). */
  activeProfile: 'd7otp.activeProfile',
  /** globalState key: true while the tree shows only the active profile's entries. */
  historyFilter: 'd7otp.history.filterByProfile',
  /** globalState key of the ids being watched, kept only when the user asked watches to survive a reload. */
  watches: 'd7otp.watches',
  /** globalState key prefix of the last Send OTP values, per profile (never the token). */
  sendDefaults: 'd7otp.sendDefaults',
  /** globalState key of the built-in demo server's state (its port): present while the `demo` profile is the demo's. */
  demo: 'd7otp.demo',
} as const;
