/** Ports for tests that need nothing to answer. */
import * as net from 'node:net';

/** A 127.0.0.1 port nothing listens on (bound by the kernel, then closed). */
export function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
