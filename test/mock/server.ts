/**
 * A mock of D7 Networks' Verify API for tests, the demo and manual trials (`npm run mock`).
 * Node built-ins only (no npm dependency), CommonJS, no top-level await: it runs in plain Node and in the
 * VS Code extension host. See SCENARIOS for the canned Get Status answers; send/resend/verify keep live OTPs.
 */
import { randomInt, randomUUID } from 'node:crypto';
import * as http from 'node:http';
import type { Socket } from 'node:net';
import { HOSTILE_MODES, hostileAnswer, type HostileMode } from './hostile';
import { MOCK_TOKEN, SCENARIOS, delay, replyJson, runScenario, scenarioOf } from './scenarios';

export { MOCK_TOKEN, SCENARIOS } from './scenarios';

/** How to start the mock. Every field is optional. */
export interface MockOptions {
  /** Port to listen on; default 0 = any free port. */
  port?: number;
  /** Interface to listen on; default '127.0.0.1'. */
  host?: string;
  /** Accepted bearer token; default MOCK_TOKEN. */
  token?: string;
  /** Delay added before every API answer (default 0); see MockServer.setLatency. */
  latencyMs?: number;
  /** Delay of the `slow` scenario (default 3000). */
  slowMs?: number;
  /** Default minimum delay between resends, when send-otp gives no retry_delay (default 60). */
  resendDelaySeconds?: number;
  /** Wrong codes before an OTP turns FAILED (default 3). */
  maxVerifyAttempts?: number;
  /** Looks of the `turnsApproved` id that answer OPEN before it answers APPROVED (default 2). */
  turnsApprovedAfter?: number;
  /** Clock in ms (default Date.now); the mock adds its own offset, moved by advanceClock. */
  now?: () => number;
  /** Where the mock writes its log lines (requests, OTP codes); default nowhere. Never given a token. */
  log?: (line: string) => void;
  /** Told of each OTP that send-otp or resend-otp creates, with its code (the demo's "SMS"). */
  onOtp?: (otp: { otpId: string; recipient: string; code: string }) => void;
}

/** One API request as the mock received it. */
interface RecordedRequest {
  method: string;
  /** Raw request target as received, e.g. `/verify/v1/report/abc`. */
  path: string;
  /** Header names in lower case (repeated headers joined with ', '). */
  headers: Record<string, string>;
  body: string;
  /** Mock-clock time (ms) the request was read. */
  receivedAt: number;
  /** How the exchange ended, once it did: answered in full, cut short while answering, or closed with no answer (the client gave up). */
  ended?: 'answered' | 'cut short' | 'no answer';
}

/** A running mock. */
export interface MockServer {
  /** e.g. `http://127.0.0.1:43123` (no trailing slash). */
  readonly url: string;
  readonly port: number;
  /** API requests received since the last reset (never the /__mock/ ones). Cleared in place by reset. */
  readonly requests: RecordedRequest[];
  /** Body bytes the last `huge` answer wrote before it finished or its client closed. */
  readonly hugeBytesWritten: number;
  /** Changes the delay added before every API answer. */
  setLatency(ms: number): void;
  /** Moves the mock clock forward (expiry, resend delays). */
  advanceClock(seconds: number): void;
  /** The code "sent by SMS" for an OTP created by send-otp or resend-otp. */
  codeOf(otpId: string): string | undefined;
  /**
   * Answers the calls a hostile mode names as that mode says (test/mock/hostile.ts); none: as D7 would. `alsoEcho`:
   * other secrets the echo modes send back besides the caller's token.
   */
  setHostile(mode?: HostileMode, alsoEcho?: readonly string[]): void;
  /** Forgets requests, created OTPs, per-id counters, the clock offset and the hostile mode. */
  reset(): void;
  /** Stops listening and destroys every open connection (hanging ones included). */
  close(): Promise<void>;
}

/** Starts a mock D7 server; resolves once it listens. */
export function startMockServer(options: MockOptions = {}): Promise<MockServer> {
  return new MockD7(options).listen(options.port ?? 0, options.host ?? '127.0.0.1');
}

type OtpStatus = 'OPEN' | 'APPROVED' | 'FAILED' | 'EXPIRED';

/** An OTP created by send-otp or resend-otp. */
interface Otp {
  otpId: string;
  code: string;
  recipient: string;
  status: OtpStatus;
  expirySeconds: number;
  expiresAt: number;
  sentAt: number;
  retryDelaySeconds: number;
  retryCount: number;
  resendCount: number;
  wrongCodes: number;
  /** Set once a resend replaced this OTP: its status then stays as it was. */
  supersededBy?: string;
}

/** One request being answered. */
interface Call {
  req: http.IncomingMessage;
  res: http.ServerResponse;
  body: string;
  query: URLSearchParams;
  /** Aborted when the connection closes (client gone, or close()). */
  signal: AbortSignal;
}

type Handler = (call: Call, params: string[]) => void | Promise<void>;

interface Route {
  pattern: RegExp;
  methods: Record<string, Handler>;
}

/** FastAPI's 422 item. */
interface Issue {
  loc: (string | number)[];
  msg: string;
  type: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const E164 = /^\+?\d{7,15}$/;
const MAX_BODY_BYTES = 1024 * 1024;

const NOT_FOUND = { detail: 'Not Found' };
const UNAUTHORIZED = {
  detail: { code: 'ACCESS_TOKEN_SIGNATURE_VERIFICATION_FAILED', message: 'Access token signature verification failed' },
};
const NO_SUCH_OTP = {
  detail: { code: 'MESSAGE_LOG_NOT_EXISTS', message: 'Given message otp id not exists in the system. Please Try Again!' },
};
const INVALID_CODE = { detail: { code: 'INVALID_OTP_CODE', message: 'Invalid OTP code or OTP code expired' } };

const missing = (field: string): Issue => ({ loc: ['body', field], msg: 'field required', type: 'value_error.missing' });
const notUuid = (where: 'path' | 'body'): Issue => ({
  loc: [where, 'otp_id'],
  msg: 'value is not a valid uuid',
  type: 'type_error.uuid',
});

class MockD7 implements MockServer {
  readonly requests: RecordedRequest[] = [];
  hugeBytesWritten = 0;
  port = 0;
  private host = '127.0.0.1';
  private readonly server = http.createServer();
  private readonly sockets = new Set<Socket>();
  private readonly otps = new Map<string, Otp>();
  private readonly looks = new Map<string, number>();
  private clockOffsetMs = 0;
  private latencyMs: number;
  private readonly token: string;
  private readonly log: (line: string) => void;
  private closing: Promise<void> | undefined;
  private hostile: HostileMode | undefined;
  private alsoEcho: readonly string[] = [];

  private readonly apiRoutes: Route[] = [
    { pattern: /^\/verify\/v1\/report\/([^/]+)$/, methods: { GET: (c, [id]) => this.getStatus(c, id) } },
    { pattern: /^\/verify\/v1\/otp\/send-otp$/, methods: { POST: (c) => this.sendOtp(c) } },
    { pattern: /^\/verify\/v1\/otp\/resend-otp$/, methods: { POST: (c) => this.resendOtp(c) } },
    { pattern: /^\/verify\/v1\/otp\/verify-otp$/, methods: { POST: (c) => this.verifyOtp(c) } },
  ];

  private readonly controlRoutes: Route[] = [
    { pattern: /^\/__mock\/requests$/, methods: { GET: (c) => replyJson(c.res, 200, this.requests) } },
    { pattern: /^\/__mock\/stats$/, methods: { GET: (c) => replyJson(c.res, 200, this.stats()) } },
    { pattern: /^\/__mock\/scenarios$/, methods: { GET: (c) => replyJson(c.res, 200, SCENARIOS) } },
    { pattern: /^\/__mock\/otp\/([^/]+)$/, methods: { GET: (c, [id]) => this.controlOtp(c, id) } },
    { pattern: /^\/__mock\/reset$/, methods: { POST: (c) => this.controlReset(c) } },
    { pattern: /^\/__mock\/clock$/, methods: { POST: (c) => this.controlClock(c) } },
    { pattern: /^\/__mock\/latency$/, methods: { POST: (c) => this.controlLatency(c) } },
    { pattern: /^\/__mock\/hostile$/, methods: { POST: (c) => this.controlHostile(c) } },
  ];

  constructor(private readonly options: MockOptions) {
    this.token = options.token ?? MOCK_TOKEN;
    this.latencyMs = options.latencyMs ?? 0;
    this.log = options.log ?? (() => undefined);
    this.server.on('connection', (socket: Socket) => {
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
    });
    this.server.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => void this.handle(req, res));
  }

  get url(): string {
    const host = this.host.includes(':') ? `[${this.host}]` : this.host;
    return `http://${host}:${this.port}`;
  }

  listen(port: number, host: string): Promise<MockServer> {
    this.host = host;
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        this.server.off('error', reject);
        this.port = (this.server.address() as { port: number }).port;
        resolve(this);
      });
    });
  }

  setLatency(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`latency must be a number of ms >= 0, not ${ms}`);
    this.latencyMs = ms;
  }

  advanceClock(seconds: number): void {
    if (!Number.isFinite(seconds)) throw new RangeError(`cannot advance the clock by ${seconds} s`);
    this.clockOffsetMs += seconds * 1000;
  }

  codeOf(otpId: string): string | undefined {
    return this.otps.get(otpId.toLowerCase())?.code;
  }

  setHostile(mode?: HostileMode, alsoEcho: readonly string[] = []): void {
    if (mode !== undefined && !Object.prototype.hasOwnProperty.call(HOSTILE_MODES, mode)) throw new RangeError(`no hostile mode ${String(mode)}`);
    this.hostile = mode;
    this.alsoEcho = alsoEcho;
  }

  reset(): void {
    this.hostile = undefined;
    this.requests.length = 0;
    this.otps.clear();
    this.looks.clear();
    this.clockOffsetMs = 0;
    this.hugeBytesWritten = 0;
  }

  close(): Promise<void> {
    this.closing ??= new Promise((resolve) => {
      this.server.close(() => resolve());
      for (const socket of this.sockets) socket.destroy();
    });
    return this.closing;
  }

  // ---- plumbing -------------------------------------------------------------------------------------------

  private now(): number {
    return (this.options.now ?? Date.now)() + this.clockOffsetMs;
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const started = Date.now();
    const aborter = new AbortController();
    res.once('close', () => aborter.abort());
    res.on('error', (error) => this.log(`[mock] response error: ${error.message}`));
    const target = req.url ?? '/';
    const pathname = pathOf(target);
    const isControl = pathname.startsWith('/__mock/');
    if (!isControl) {
      res.once('close', () => {
        const outcome = !res.headersSent ? 'no answer' : `${res.statusCode}${res.writableFinished ? '' : ' cut short'}`;
        this.log(`[mock] ${req.method} ${target} -> ${outcome} (${Date.now() - started} ms)`);
      });
    }
    try {
      const body = await readBody(req);
      if (body === undefined) return void req.socket.destroy();
      const call: Call = { req, res, body: body.text, query: queryOf(target), signal: aborter.signal };
      if (isControl) return await this.dispatch(call, pathname, this.controlRoutes);
      const recorded = this.record(req, target, body.text);
      res.once('close', () => (recorded.ended = !res.headersSent ? 'no answer' : res.writableFinished ? 'answered' : 'cut short'));
      if (this.latencyMs > 0 && !(await delay(this.latencyMs, aborter.signal))) return;
      if (body.tooLarge) return replyJson(res, 413, { detail: 'Request Entity Too Large' });
      await this.dispatch(call, pathname, this.apiRoutes, (c) => this.authorized(c) && !this.answeredHostile(c, pathname));
    } catch (error) {
      this.log(`[mock] error answering ${req.method} ${target}: ${String(error)}`);
      if (!res.headersSent) replyJson(res, 500, { detail: 'mock server error' });
      else res.destroy();
    }
  }

  /** Finds the route: 404 when none matches, 405 when the method does not; then `guard`, then the handler. */
  private async dispatch(call: Call, pathname: string, routes: Route[], guard?: (call: Call) => boolean): Promise<void> {
    for (const route of routes) {
      const match = route.pattern.exec(pathname);
      if (!match) continue;
      const handler = route.methods[call.req.method ?? ''];
      if (!handler) {
        return replyJson(call.res, 405, { detail: 'Method Not Allowed' }, { allow: Object.keys(route.methods).join(', ') });
      }
      if (guard && !guard(call)) return;
      return handler(call, match.slice(1));
    }
    replyJson(call.res, 404, NOT_FOUND);
  }

  private authorized(call: Call): boolean {
    if (call.req.headers.authorization === `Bearer ${this.token}`) return true;
    replyJson(call.res, 401, UNAUTHORIZED);
    return false;
  }

  /** In a hostile mode, answers the call as the mode says; true when it did. */
  private answeredHostile(call: Call, pathname: string): boolean {
    if (!this.hostile) return false;
    const operation = /\/report\//.test(pathname)
      ? 'status'
      : (/\/otp\/(send|resend|verify)-otp$/.exec(pathname)?.[1] as 'send' | 'resend' | 'verify' | undefined);
    if (!operation) return false;
    const fromPath = operation === 'status' ? decodeSegment(pathname.split('/').pop() ?? '') : undefined;
    const fromBody = operation !== 'status' ? textField(parseJsonObject(call) ?? {}, 'otp_id') : undefined;
    const token = (call.req.headers.authorization ?? '').replace(/^Bearer /, '');
    const answer = hostileAnswer(this.hostile, { operation, otpId: fromPath ?? fromBody, token, newId: randomUUID(), alsoEcho: this.alsoEcho });
    if (!answer) return false;
    const body = answer.raw ?? JSON.stringify(answer.json ?? {});
    call.res.writeHead(answer.status, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)), ...answer.headers });
    call.res.end(body);
    return true;
  }

  private record(req: http.IncomingMessage, target: string, body: string): RecordedRequest {
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
    }
    const recorded: RecordedRequest = { method: req.method ?? '', path: target, headers, body, receivedAt: this.now() };
    this.requests.push(recorded);
    return recorded;
  }

  // ---- Get Status ------------------------------------------------------------------------------------------

  private getStatus(call: Call, rawId: string): void | Promise<void> {
    const otpId = decodeSegment(rawId);
    if (!UUID.test(otpId)) return replyJson(call.res, 422, { detail: [notUuid('path')] });
    const scenario = scenarioOf(otpId);
    if (scenario) return this.runScenario(call, scenario);
    const otp = this.otps.get(otpId.toLowerCase());
    if (!otp) return replyJson(call.res, 404, NO_SUCH_OTP);
    replyJson(call.res, 200, { status: this.statusOf(otp) });
  }

  private runScenario(call: Call, name: keyof typeof SCENARIOS): void | Promise<void> {
    const otpId = SCENARIOS[name];
    const look = (this.looks.get(otpId) ?? 0) + 1;
    this.looks.set(otpId, look);
    return runScenario(name, {
      otpId,
      res: call.res,
      socket: call.req.socket,
      signal: call.signal,
      otherOrigin: `http://localhost:${this.port}`,
      slowMs: this.options.slowMs ?? 3000,
      turnsApprovedAfter: this.options.turnsApprovedAfter ?? 2,
      look,
      reportHugeBytes: (bytes) => (this.hugeBytesWritten = bytes),
    });
  }

  /** Current status; an OPEN OTP past its expiry turns EXPIRED (a superseded one keeps its last status). */
  private statusOf(otp: Otp): OtpStatus {
    if (otp.status === 'OPEN' && !otp.supersededBy && this.now() >= otp.expiresAt) otp.status = 'EXPIRED';
    return otp.status;
  }

  // ---- Send, resend, verify ------------------------------------------------------------------------------

  private sendOtp(call: Call): void {
    const body = parseJsonObject(call);
    if (!body) return;
    const issues: Issue[] = [];
    const recipient = textField(body, 'recipient');
    if (recipient === undefined) issues.push(missing('recipient'));
    else if (!E164.test(recipient)) {
      issues.push({ loc: ['body', 'recipient'], msg: 'value is not a valid E.164 phone number', type: 'value_error.phone' });
    }
    if (textField(body, 'originator') === undefined) issues.push(missing('originator'));
    const content = textField(body, 'content');
    if (textField(body, 'template_id') === undefined && !content?.includes('{}')) {
      issues.push(
        content === undefined
          ? missing('content')
          : { loc: ['body', 'content'], msg: 'content must contain {} for the code, or give template_id', type: 'value_error' },
      );
    }
    const int = (name: string, fallback: number, min: number, max?: number): number => intField(body, name, { fallback, min, max }, issues);
    const codeLength = int('otp_code_length', 6, 2, 10);
    const expiry = int('expiry', 600, 1);
    const retryDelay = int('retry_delay', this.options.resendDelaySeconds ?? 60, 0);
    const retryCount = int('retry_count', 5, 0);
    if (issues.length > 0) return replyJson(call.res, 422, { detail: issues });

    const otp = this.createOtp(recipient as string, codeLength, expiry, retryDelay, retryCount, 0);
    replyJson(call.res, 200, { otp_id: otp.otpId, status: 'OPEN', expiry: otp.expirySeconds });
  }

  private resendOtp(call: Call): void {
    const found = this.otpFromBody(call, []);
    if (!found) return;
    let otp = found;
    while (otp.supersededBy) otp = this.otps.get(otp.supersededBy) as Otp; // resend acts on the newest of the chain
    const refuse = (detail: string): void => replyJson(call.res, 400, { detail });
    const now = this.now();
    const status = this.statusOf(otp);
    if (status === 'EXPIRED') return refuse('Resend Failed. OTP time limit expired.');
    if (status === 'APPROVED') return refuse('Resend Failed. OTP already verified.');
    if (now - otp.sentAt < otp.retryDelaySeconds * 1000) {
      return refuse(`Frequent resend request, resend request need minimum ${otp.retryDelaySeconds} seconds delay`);
    }
    if (otp.resendCount >= otp.retryCount) return refuse('Resend Failed. Maximum resend limit reached.');

    const next = this.createOtp(otp.recipient, otp.code.length, otp.expirySeconds, otp.retryDelaySeconds, otp.retryCount, otp.resendCount + 1);
    otp.supersededBy = next.otpId;
    replyJson(call.res, 200, {
      otp_id: next.otpId,
      status: 'OPEN',
      expiry: next.expirySeconds,
      resend_count: next.resendCount,
    });
  }

  private verifyOtp(call: Call): void {
    const issues: Issue[] = [];
    const body = parseJsonObject(call);
    if (!body) return;
    const code = textField(body, 'otp_code');
    if (code === undefined) issues.push(missing('otp_code'));
    const otp = this.otpFromBody(call, issues, body);
    if (!otp) return;
    if (otp.supersededBy) return replyJson(call.res, 400, INVALID_CODE); // its code was replaced by a resend
    const status = this.statusOf(otp);
    if (status === 'APPROVED') return replyJson(call.res, 200, { status: 'ALREADY_VERIFIED' });
    if (status !== 'OPEN') return replyJson(call.res, 200, { status });
    if (code === otp.code) {
      otp.status = 'APPROVED';
      return replyJson(call.res, 200, { status: 'APPROVED' });
    }
    otp.wrongCodes++;
    if (otp.wrongCodes >= (this.options.maxVerifyAttempts ?? 3)) otp.status = 'FAILED';
    replyJson(call.res, 400, INVALID_CODE);
  }

  /** The OTP named by the body's otp_id; answers 422 (with `issues`) or 404 itself and returns undefined. */
  private otpFromBody(call: Call, issues: Issue[], parsed?: Record<string, unknown>): Otp | undefined {
    const body = parsed ?? parseJsonObject(call);
    if (!body) return undefined;
    const otpId = textField(body, 'otp_id');
    if (otpId === undefined) issues.unshift(missing('otp_id'));
    else if (!UUID.test(otpId)) issues.unshift(notUuid('body'));
    if (issues.length > 0) return void replyJson(call.res, 422, { detail: issues });
    const otp = this.otps.get((otpId as string).toLowerCase());
    if (!otp) replyJson(call.res, 404, NO_SUCH_OTP);
    return otp;
  }

  private createOtp(recipient: string, codeLength: number, expirySeconds: number, retryDelaySeconds: number, retryCount: number, resendCount: number): Otp {
    const now = this.now();
    const otp: Otp = {
      otpId: randomUUID(),
      code: randomCode(codeLength),
      recipient,
      status: 'OPEN',
      expirySeconds,
      expiresAt: now + expirySeconds * 1000,
      sentAt: now,
      retryDelaySeconds,
      retryCount,
      resendCount,
      wrongCodes: 0,
    };
    this.otps.set(otp.otpId, otp);
    this.log(`[mock] OTP ${otp.otpId} to ${recipient}: code ${otp.code}`);
    this.options.onOtp?.({ otpId: otp.otpId, recipient, code: otp.code });
    return otp;
  }

  // ---- /__mock/ control endpoints ------------------------------------------------------------------------

  private stats(): Record<string, number> {
    return {
      hugeBytesWritten: this.hugeBytesWritten,
      requests: this.requests.length,
      otps: this.otps.size,
      latencyMs: this.latencyMs,
      clockOffsetSeconds: this.clockOffsetMs / 1000,
    };
  }

  private controlOtp(call: Call, rawId: string): void {
    const otp = this.otps.get(decodeSegment(rawId).toLowerCase());
    if (!otp) return replyJson(call.res, 404, NOT_FOUND);
    replyJson(call.res, 200, {
      otp_id: otp.otpId,
      code: otp.code,
      status: this.statusOf(otp),
      expiresAt: new Date(otp.expiresAt).toISOString(),
      recipient: otp.recipient,
      resend_count: otp.resendCount,
      ...(otp.supersededBy ? { supersededBy: otp.supersededBy } : {}),
    });
  }

  private controlReset(call: Call): void {
    this.reset();
    replyJson(call.res, 200, { ok: true });
  }

  private controlClock(call: Call): void {
    const seconds = Number(call.query.get('advance'));
    if (!call.query.has('advance') || !Number.isFinite(seconds)) {
      return replyJson(call.res, 400, { detail: 'advance=<seconds> required' });
    }
    this.advanceClock(seconds);
    replyJson(call.res, 200, { clockOffsetSeconds: this.clockOffsetMs / 1000, now: new Date(this.now()).toISOString() });
  }

  private controlLatency(call: Call): void {
    const ms = Number(call.query.get('ms'));
    if (!call.query.has('ms') || !Number.isFinite(ms) || ms < 0) {
      return replyJson(call.res, 400, { detail: 'ms=<n> required' });
    }
    this.setLatency(ms);
    replyJson(call.res, 200, { latencyMs: this.latencyMs });
  }

  /** `POST /__mock/hostile?mode=<name>` sets a hostile mode; without `mode`, back to D7's own answers. */
  private controlHostile(call: Call): void {
    const mode = call.query.get('mode') ?? undefined;
    if (mode !== undefined && !Object.prototype.hasOwnProperty.call(HOSTILE_MODES, mode)) {
      return replyJson(call.res, 400, { detail: `mode must be one of ${Object.keys(HOSTILE_MODES).join(', ')}` });
    }
    this.setHostile(mode as HostileMode | undefined);
    replyJson(call.res, 200, { hostile: this.hostile ?? null });
  }
}

// ---- helpers --------------------------------------------------------------------------------------------------

/** The path of a request target, without query or fragment (absolute-form targets reduced to their path). */
function pathOf(target: string): string {
  const path = target.split(/[?#]/, 1)[0];
  if (path.startsWith('/')) return path;
  try {
    return new URL(path).pathname;
  } catch {
    return path;
  }
}

function queryOf(target: string): URLSearchParams {
  const at = target.indexOf('?');
  return new URLSearchParams(at < 0 ? '' : target.slice(at + 1).split('#', 1)[0]);
}

/** Percent-decodes one path segment; a malformed escape is left as is (and then fails the UUID check). */
function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** Reads the whole body (at most MAX_BODY_BYTES kept); undefined when the client went away mid-body. */
async function readBody(req: http.IncomingMessage): Promise<{ text: string; tooLarge: boolean } | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of req as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    }
  } catch {
    return undefined;
  }
  return { text: Buffer.concat(chunks).toString('utf8'), tooLarge: size > MAX_BODY_BYTES };
}

/** The JSON object body, or undefined after answering 422 like FastAPI does. */
function parseJsonObject(call: Call): Record<string, unknown> | undefined {
  let value: unknown;
  try {
    value = JSON.parse(call.body);
  } catch (error) {
    replyJson(call.res, 422, {
      detail: [{ loc: ['body', 0], msg: (error as Error).message, type: 'value_error.jsondecode' }],
    });
    return undefined;
  }
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  replyJson(call.res, 422, { detail: [{ loc: ['body'], msg: 'value is not a valid dict', type: 'type_error.dict' }] });
  return undefined;
}

/** A string or number field as trimmed text; undefined when absent, null, empty or of another type. */
function textField(body: Record<string, unknown>, name: string): string | undefined {
  const value = body[name];
  if (typeof value !== 'string' && typeof value !== 'number') return undefined;
  const text = String(value).trim();
  return text === '' ? undefined : text;
}

/**
 * An integer field (a number or a numeric string) within [min, max]; `fallback` when absent.
 * Pushes a FastAPI issue when the value is not an integer or out of range.
 */
function intField(
  body: Record<string, unknown>,
  name: string,
  { fallback, min, max = Number.MAX_SAFE_INTEGER }: { fallback: number; min: number; max?: number },
  issues: Issue[],
): number {
  const value = body[name];
  if (value === undefined || value === null || value === '') return fallback;
  const numeric = typeof value === 'string' && /^\s*-?\d+\s*$/.test(value);
  const n = typeof value === 'number' ? value : numeric ? Number(value) : NaN;
  if (!Number.isSafeInteger(n)) {
    issues.push({ loc: ['body', name], msg: 'value is not a valid integer', type: 'type_error.integer' });
  } else if (n < min || n > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `greater than or equal to ${min}` : `between ${min} and ${max}`;
    issues.push({ loc: ['body', name], msg: `ensure this value is ${range}`, type: 'value_error.number.range' });
  }
  return n;
}

/** `length` random digits, the first never 0 (so a code sent back as a JSON number keeps its digits). */
function randomCode(length: number): string {
  let code = String(randomInt(1, 10));
  while (code.length < length) code += String(randomInt(0, 10));
  return code;
}
