/**
 * What each Get Status scenario of the mock ends as, with a 1 s time limit and no automatic retry: the error kind, or
 * 'ok'. One table for the unit rules (test/unit/features/lookup/lookupRules.test.ts) and their wiring proof in the
 * extension host (test/integration/features/lookup.test.ts). Pure data (no `vscode`, no npm package).
 */
import type { ErrorKind } from '../../src/core/check';
import type { ScenarioName } from '../mock/scenarios';

export type ScenarioOutcome = 'ok' | ErrorKind;

export const SCENARIO_OUTCOMES: Record<ScenarioName, ScenarioOutcome> = {
  open: 'ok',
  approved: 'ok',
  expired: 'ok',
  failed: 'ok',
  alreadyVerified: 'ok',
  unknownStatus: 'ok',
  withExtraFields: 'ok',
  turnsApproved: 'ok',
  rateLimited: 'rate-limited',
  rateLimitedOnce: 'rate-limited',
  serviceUnavailableOnce: 'server',
  serverError: 'server',
  slow: 'timeout',
  empty200: 'bad-response',
  text200: 'bad-response',
  html200: 'bad-response',
  array200: 'bad-response',
  string200: 'bad-response',
  number200: 'bad-response',
  null200: 'bad-response',
  statusMissing: 'bad-response',
  statusNumber: 'bad-response',
  longStatus: 'ok',
  markup: 'ok',
  controlChars: 'ok',
  unicode: 'ok',
  huge: 'bad-response',
  truncated: 'network',
  reset: 'network',
  hang: 'timeout',
  trickle: 'timeout',
  redirectSameHost: 'ok',
  redirectOtherHost: 'bad-response',
  status201: 'ok',
  status202: 'ok',
  status204: 'bad-response',
  status301: 'ok',
  status304: 'bad-response',
  status307: 'ok',
  status400: 'validation',
  status403: 'unauthorized',
  status405: 'bad-response',
  status408: 'timeout',
  status409: 'bad-response',
  status410: 'bad-response',
  status413: 'bad-response',
  status500: 'server',
  status503: 'server',
  status504: 'server',
};
