// The mock D7 server in a process of its own for the benchmark, so neither the extension host nor the
// throughput-ceiling script shares an event loop with it. Prints `{"url": ...}` once listening; SIGTERM stops it.
// Needs the compiled mock (out/test/mock/server.js: `npm run compile:tests`).
'use strict';

const { startMockServer } = require('../out/test/mock/server.js');

startMockServer({ host: '127.0.0.1' }).then(
  (mock) => {
    process.stdout.write(`${JSON.stringify({ url: mock.url, pid: process.pid })}\n`);
    const stop = () => void mock.close().then(() => process.exit(0));
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
  },
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
