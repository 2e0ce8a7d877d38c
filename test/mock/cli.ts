/**
 * Runs the mock D7 server standalone: `npm run mock -- [--port N] [--latency MS] [--token T]`
 * (or `node out/test/mock/cli.js ...`). Listens on 127.0.0.1 only; Ctrl+C stops it.
 */
import { MAIN_SCENARIOS, SCENARIOS } from './scenarios';
import { MOCK_TOKEN, startMockServer, type MockOptions } from './server';

const USAGE = 'usage: node out/test/mock/cli.js [--port N] [--latency MS] [--token T]';

/** Parses `--name value` and `--name=value`; throws a message on anything else. */
function parseArgs(argv: string[]): MockOptions {
  const options: MockOptions = {};
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split(/=(.*)/s, 2);
    if (!['--port', '--latency', '--token'].includes(flag)) throw new Error(`unknown option ${flag}`);
    const value = inline ?? argv[++i];
    if (value === undefined) throw new Error(`${flag} needs a value`);
    switch (flag) {
      case '--port':
        options.port = integer(flag, value, 0, 65535);
        break;
      case '--latency':
        options.latencyMs = integer(flag, value, 0, 600_000);
        break;
      case '--token':
        if (!/^[\x21-\x7e]+$/.test(value)) throw new Error('--token must be printable ASCII without spaces');
        options.token = value;
        break;
    }
  }
  return options;
}

function integer(flag: string, value: string, min: number, max: number): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < min || n > max) throw new Error(`${flag} must be an integer from ${min} to ${max}`);
  return n;
}

async function main(): Promise<void> {
  if (process.argv.includes('--help') || process.argv.includes('-h')) {
    console.log(USAGE);
    return;
  }
  let options: MockOptions;
  try {
    options = parseArgs(process.argv.slice(2));
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    process.exitCode = 2;
    return;
  }
  const mock = await startMockServer({ ...options, host: '127.0.0.1', log: (line) => console.log(line) });

  const width = Math.max(...MAIN_SCENARIOS.map(([name]) => name.length));
  console.log(`Mock D7 Verify API listening on ${mock.url}`);
  console.log(`Accepted token: ${options.token ?? MOCK_TOKEN}`);
  console.log('Set d7otp.baseUrl to the URL above and the token with "D7 OTP: Set API Token". Scenario ids to try:');
  for (const [name, answer] of MAIN_SCENARIOS) console.log(`  ${name.padEnd(width)}  ${SCENARIOS[name]}  ${answer}`);
  console.log(`All scenarios: ${mock.url}/__mock/scenarios. Codes of OTPs you send: ${mock.url}/__mock/otp/<otp_id>`);

  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) process.exit(1); // a second Ctrl+C forces it
    stopping = true;
    console.log(`${signal}: closing the mock server`);
    void mock.close().then(() => process.exit(0));
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: unknown) => {
  console.error(`mock server failed to start: ${(error as Error).message ?? String(error)}`);
  process.exitCode = 1;
});
