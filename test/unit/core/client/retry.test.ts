import * as assert from 'node:assert/strict';
import { getEventListeners } from 'node:events';
import fetch from 'node-fetch';
import type { StatusCheck } from '../../../../src/core/check';
import { D7VerifyClient } from '../../../../src/core/client/client';
import type { FetchLike, RetryWait } from '../../../../src/core/client/request';
import { abortableSleep, RetryPolicy, retryCount } from '../../../../src/core/client/retry';
import { BACKOFF_WAITS, ODD_MAX_RETRIES, RETRY_AFTER_CASES, RETRY_AFTER_NOW, RETRY_SETTINGS, UNREADABLE_RETRY_AFTER } from '../../../cases/responses';
import { edgeId, json, REPORT_PATH } from '../../../mock/edgeServer';
import { MOCK_TOKEN, SCENARIOS } from '../../../mock/server';
import { activeTimers, assertInertLine, otpId, timerBaseline, timersSettle, useEdgeServers, useMock } from '../../helpers';

const id = (name: keyof typeof SCENARIOS) => otpId(SCENARIOS[name]);

function assertFailure(result: StatusCheck, kind: string): void {
  assert.equal(result.error?.kind, kind, result.error?.message);
  assertInertLine(result.error?.message ?? '', 'the message');
}

describe('core/client/retry', () => {
  describe('RetryPolicy.delay', () => {
    const policy = new RetryPolicy({ random: () => 1, backoffBaseMs: 1000 });

    it('retries only 429 and 503, and only while attempts are left', () => {
      for (const httpStatus of [undefined, 400, 404, 500, 502, 504]) assert.equal(policy.delay({ httpStatus }, 1, 2), undefined, String(httpStatus));
      assert.equal(policy.delay({ httpStatus: 429 }, 2, 2), 2000);
      assert.equal(policy.delay({ httpStatus: 429 }, 3, 2), undefined, 'the third failure of two retries is final');
      assert.equal(policy.delay({ httpStatus: 503 }, 1, 0), undefined);
    });

    it('honours Retry-After up to the bound (30 s); a longer one ends the call', () => {
      assert.equal(policy.delay({ httpStatus: 429, retryAfterSeconds: 0 }, 1, 2), 0);
      assert.equal(policy.delay({ httpStatus: 429, retryAfterSeconds: 30 }, 1, 2), 30_000);
      assert.equal(policy.delay({ httpStatus: 503, retryAfterSeconds: 31 }, 1, 2), undefined);
      assert.equal(new RetryPolicy({ maxRetryAfterSeconds: 5 }).delay({ httpStatus: 429, retryAfterSeconds: 6 }, 1, 2), undefined);
    });

    it(`backs off without Retry-After: base·2ⁿ with jitter, never over the bound (${BACKOFF_WAITS.length} randoms)`, () => {
      for (const [r, waits] of BACKOFF_WAITS) {
        const p = new RetryPolicy({ random: () => r, backoffBaseMs: 1000 });
        assert.deepEqual(
          [1, 2, 3, 4, 5].map((attempt) => p.delay({ httpStatus: 503 }, attempt, 5)),
          waits,
          `random ${r}`,
        );
      }
      const big = new RetryPolicy({ random: () => 1, backoffBaseMs: 20_000 });
      assert.deepEqual(
        [1, 2, 3].map((a) => big.delay({ httpStatus: 429 }, a, 3)),
        [20_000, 30_000, 30_000],
      );
    });
  });

  describe('retryCount', () => {
    it('is an integer from 0 to 5; a value that is not a finite number means the default, 2', () => {
      assert.equal(retryCount(undefined), 2);
      for (const n of RETRY_SETTINGS) assert.equal(retryCount(n), n);
      for (const [value, retries] of ODD_MAX_RETRIES) assert.equal(retryCount(value), retries, String(value));
    });
  });

  describe('abortableSleep', () => {
    it('resolves after the time', async () => {
      const started = Date.now();
      await abortableSleep(30, new AbortController().signal);
      assert.ok(Date.now() - started >= 25);
    });

    it('rejects at once when aborted, before or during, and leaves no timer', async () => {
      const baseline = await timerBaseline();
      await assert.rejects(abortableSleep(10_000, AbortSignal.abort()), /aborted/);
      const controller = new AbortController();
      const sleeping = abortableSleep(10_000, controller.signal);
      assert.equal(activeTimers(), baseline + 1);
      controller.abort();
      await assert.rejects(sleeping, /aborted/);
      assert.equal(activeTimers(), baseline);
    });

    it('leaves no listener on the signal, slept out or aborted (one signal serves a whole bulk run of sleeps)', async () => {
      const controller = new AbortController();
      await abortableSleep(1, controller.signal);
      await abortableSleep(1, controller.signal);
      assert.equal(getEventListeners(controller.signal, 'abort').length, 0, 'slept out');
      const sleeping = abortableSleep(10_000, controller.signal);
      assert.equal(getEventListeners(controller.signal, 'abort').length, 1);
      controller.abort();
      await assert.rejects(sleeping, /aborted/);
      assert.equal(getEventListeners(controller.signal, 'abort').length, 0, 'aborted');
    });
  });

  describe('429 and 503 against the mock', () => {
    const ctx = useMock({ slowMs: 2000 });

    it('429 once, then 200: the retry succeeds after the Retry-After', async () => {
      const result = await ctx.client().getStatus(id('rateLimitedOnce'));
      assert.equal(result.ok, true);
      assert.equal(result.attempts, 2);
      assert.deepEqual(ctx.waits, [1000]);
      assert.deepEqual(
        ctx.logs.map((l) => l.outcome),
        ['retry', 'ok'],
      );
    });

    it("a retry's wait leaves no listener on the caller's signal (one signal serves a whole bulk run)", async () => {
      const controller = new AbortController();
      const result = await ctx.client().getStatus(id('rateLimitedOnce'), { signal: controller.signal });
      assert.deepEqual([result.ok, result.attempts], [true, 2]);
      assert.equal(getEventListeners(controller.signal, 'abort').length, 0);
    });

    it('the real wait is made with the retry (1 s of Retry-After), not cut short when nothing aborted it', async () => {
      const started = Date.now();
      const result = await ctx.client({ sleep: undefined }).getStatus(id('rateLimitedOnce'), { signal: new AbortController().signal });
      assert.deepEqual([result.ok, result.attempts], [true, 2]);
      assert.ok(Date.now() - started >= 900, `${Date.now() - started} ms`);
    });

    it('429 that persists: bounded retries, each wait told to the caller, then rate-limited with Retry-After', async () => {
      const onWait: RetryWait[] = [];
      const result = await ctx.client({ maxRetries: () => 2 }).getStatus(id('rateLimited'), { onWait: (w) => onWait.push(w) });
      assertFailure(result, 'rate-limited');
      assert.equal(result.error?.retryAfterSeconds, 1);
      assert.equal(result.attempts, 3);
      assert.deepEqual(onWait, [
        { attempt: 1, delayMs: 1000 },
        { attempt: 2, delayMs: 1000 },
      ]);
      assert.equal(ctx.mock.requests.length, 3);
      assert.deepEqual(
        ctx.logs.map((l) => [l.outcome, l.attempt]),
        [
          ['retry', 1],
          ['retry', 2],
          ['rate-limited', 3],
        ],
      );
    });

    it('503 without Retry-After: backoff with jitter, then success', async () => {
      const result = await ctx.client({ random: () => 1, backoffBaseMs: 200 }).getStatus(id('serviceUnavailableOnce'));
      assert.equal(result.ok, true);
      assert.deepEqual(ctx.waits, [200]);
    });

    it('the retry count follows the setting (0 to 5): no automatic retry at 0', async () => {
      for (const maxRetries of RETRY_SETTINGS) {
        ctx.mock.reset();
        ctx.waits.length = 0;
        const onWait: RetryWait[] = [];
        const result = await ctx.client({ maxRetries: () => maxRetries }).getStatus(id('rateLimited'), { onWait: (w) => onWait.push(w) });
        assertFailure(result, 'rate-limited');
        assert.equal(ctx.mock.requests.length, maxRetries + 1);
        assert.deepEqual(ctx.waits, Array(maxRetries).fill(1000));
        assert.deepEqual(
          onWait.map((w) => w.attempt),
          Array.from({ length: maxRetries }, (_, i) => i + 1),
        );
        assert.equal(result.attempts, maxRetries > 0 ? maxRetries + 1 : undefined, 'attempts recorded only when retried');
      }
    });

    it('the default is 2 automatic retries (no maxRetries option)', async () => {
      const result = await new D7VerifyClient({
        fetch: fetch as unknown as FetchLike,
        baseUrl: () => ctx.mock.url,
        token: async () => MOCK_TOKEN,
        timeoutMs: () => 3000,
        sleep: async (ms) => void ctx.waits.push(ms),
      }).getStatus(id('status503'));
      assertFailure(result, 'server');
      assert.equal(result.attempts, 3);
      assert.equal(ctx.mock.requests.length, 3);
    });

    it(`a retry setting that is not a count (${ODD_MAX_RETRIES.length} values) still ends, after the retries it means`, async () => {
      for (const [value, retries] of ODD_MAX_RETRIES) {
        ctx.mock.reset();
        const result = await ctx.client({ maxRetries: () => value }).getStatus(id('rateLimited'));
        assertFailure(result, 'rate-limited');
        assert.equal(ctx.mock.requests.length, retries + 1, `maxRetries ${value}`);
      }
    });

    it('cancel while waiting (real timer): cancelled at once, no request after, no timer left', async () => {
      const baseline = await timerBaseline();
      const controller = new AbortController();
      const started = Date.now();
      const result = await ctx.client({ sleep: undefined }).getStatus(id('rateLimited'), {
        signal: controller.signal,
        onWait: () => setImmediate(() => controller.abort()),
      });
      assertFailure(result, 'cancelled');
      assert.equal(result.error?.messageId, 'cancelledWhileWaiting');
      assert.match(result.error?.message ?? '', /waiting to retry/);
      assert.equal(result.attempts, 1);
      assert.ok(Date.now() - started < 800, 'did not sit out the 1 s Retry-After');
      assert.equal(ctx.mock.requests.length, 1);
      assert.equal(await timersSettle(baseline), baseline, 'no timer left');
    });

    it('cancel from onWait itself (synchronously): no second request', async () => {
      const controller = new AbortController();
      const result = await ctx.client({ sleep: undefined }).getStatus(id('rateLimited'), { signal: controller.signal, onWait: () => controller.abort() });
      assertFailure(result, 'cancelled');
      assert.equal(ctx.mock.requests.length, 1);
    });
  });

  describe('Retry-After values from the edge server', () => {
    const ctx = useMock();
    const servers = useEdgeServers();

    RETRY_AFTER_CASES.forEach(([what, header, expected, seconds], i) => {
      it(`503 with Retry-After ${what}`, async () => {
        const { edge } = servers;
        const otpIdValue = edgeId(400 + i);
        edge.route(REPORT_PATH + otpIdValue, (_req, res) => json(res, 503, { detail: 'Service Unavailable' }, { 'retry-after': header }));
        const result = await ctx.client({ baseUrl: () => edge.url, now: () => RETRY_AFTER_NOW }).getStatus(otpId(otpIdValue));
        assertFailure(result, 'server');
        assert.equal(result.error?.retryAfterSeconds, seconds);
        assert.deepEqual(ctx.waits, expected === 'none' ? [] : expected);
        assert.equal(edge.requests.length, expected === 'none' ? 1 : 3);
      });
    });

    it(`unreadable Retry-After values (${UNREADABLE_RETRY_AFTER.length}) are not a wait: exponential backoff instead`, async () => {
      const { edge } = servers;
      for (const [i, header] of UNREADABLE_RETRY_AFTER.entries()) {
        const otpIdValue = edgeId(500 + i);
        edge.route(REPORT_PATH + otpIdValue, (_req, res) => json(res, 429, { detail: 'Too Many Requests' }, header ? { 'retry-after': header } : {}));
        ctx.waits.length = 0;
        const result = await ctx
          .client({ baseUrl: () => edge.url, now: () => RETRY_AFTER_NOW, random: () => 1, backoffBaseMs: 100 })
          .getStatus(otpId(otpIdValue));
        assertFailure(result, 'rate-limited');
        assert.equal(result.error?.retryAfterSeconds, undefined, `Retry-After ${JSON.stringify(header)} is not a wait`);
        assert.deepEqual(ctx.waits, [100, 200], `Retry-After ${JSON.stringify(header)}: backoff 100, 200 ms`);
      }
    });
  });
});
