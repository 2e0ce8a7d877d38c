/**
 * TLS for the proxy tests: a test certificate authority made at run time (nothing secret is stored in the repo),
 * certificates it issues for made-up host names, and a TLS front that terminates TLS on 127.0.0.1 and hands the
 * plain bytes to the mock D7 server, choosing the certificate by the name the client asked for (SNI). So a client
 * that believes it talks to `https://d7.proxy-test.invalid` reaches the mock, as it would reach D7 through a
 * corporate proxy. Runs in plain Node and in the VS Code extension host.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import * as net from 'node:net';
import * as tls from 'node:tls';
import forge from 'node-forge';

export interface Pem {
  key: string;
  cert: string;
}

/** A certificate authority that can issue server certificates. */
export interface TestCa extends Pem {
  issue(hostnames: readonly string[]): Pem;
}

const YEAR_MS = 365 * 24 * 3600 * 1000;

function rsaKeys(): { privateKey: forge.pki.rsa.PrivateKey; publicKey: forge.pki.rsa.PublicKey } {
  // Node makes the key (fast, native); forge only builds and signs the certificates.
  const { privateKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  const key = forge.pki.privateKeyFromPem(privateKey) as forge.pki.rsa.PrivateKey;
  return { privateKey: key, publicKey: forge.pki.setRsaPublicKey(key.n, key.e) };
}

function certificate(subject: string, publicKey: forge.pki.PublicKey): forge.pki.Certificate {
  const cert = forge.pki.createCertificate();
  cert.publicKey = publicKey;
  cert.serialNumber = `01${randomBytes(8).toString('hex')}`; // positive
  cert.validity.notBefore = new Date(Date.now() - 3600_000);
  cert.validity.notAfter = new Date(Date.now() + YEAR_MS);
  cert.setSubject([{ name: 'commonName', value: subject }]);
  return cert;
}

/** A new certificate authority named `name`, valid for a year. */
export function createTestCa(name = 'D7 OTP Inspector test CA'): TestCa {
  const keys = rsaKeys();
  const caCert = certificate(name, keys.publicKey);
  caCert.setIssuer(caCert.subject.attributes);
  caCert.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  caCert.sign(keys.privateKey, forge.md.sha256.create());
  return {
    key: forge.pki.privateKeyToPem(keys.privateKey),
    cert: forge.pki.certificateToPem(caCert),
    issue(hostnames) {
      const leafKeys = rsaKeys();
      const leaf = certificate(hostnames[0], leafKeys.publicKey);
      leaf.setIssuer(caCert.subject.attributes);
      leaf.setExtensions([
        { name: 'basicConstraints', cA: false },
        { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
        { name: 'extKeyUsage', serverAuth: true },
        { name: 'subjectAltName', altNames: hostnames.map((value) => ({ type: 2, value })) },
      ]);
      leaf.sign(keys.privateKey, forge.md.sha256.create());
      return { key: forge.pki.privateKeyToPem(leafKeys.privateKey), cert: forge.pki.certificateToPem(leaf) };
    },
  };
}

/** A TLS front on 127.0.0.1: each connection's TLS is ended here and its bytes piped to 127.0.0.1:`targetPort`. */
export interface TlsFront {
  readonly port: number;
  /** Server names (SNI) of the TLS sessions that completed their handshake, in order. */
  readonly handshakes: string[];
  /** `https://<hostname>:<port>`. */
  url(hostname: string): string;
  close(): Promise<void>;
}

/**
 * Starts a TLS front for `targetPort`. `certificates` maps a server name to the certificate it presents; a name not
 * listed gets `fallback`.
 */
export function startTlsFront(targetPort: number, certificates: Record<string, Pem>, fallback: Pem): Promise<TlsFront> {
  const contexts = new Map(Object.entries(certificates).map(([name, pem]) => [name.toLowerCase(), tls.createSecureContext(pem)]));
  const sockets = new Set<net.Socket>();
  const handshakes: string[] = [];
  const server = tls.createServer(
    { ...fallback, SNICallback: (name, done) => done(null, contexts.get(name.toLowerCase()) ?? tls.createSecureContext(fallback)) },
    (socket) => {
      handshakes.push(socket.servername || '');
      const upstream = net.connect(targetPort, '127.0.0.1');
      sockets.add(upstream);
      upstream.once('close', () => sockets.delete(upstream));
      socket.pipe(upstream).pipe(socket);
      const end = () => {
        socket.destroy();
        upstream.destroy();
      };
      socket.once('error', end);
      upstream.once('error', end);
    },
  );
  server.on('connection', (socket: net.Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  server.on('tlsClientError', () => undefined); // a client that refuses the certificate: expected in some tests
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      resolve({
        port,
        handshakes,
        url: (hostname) => `https://${hostname}:${port}`,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            for (const socket of sockets) socket.destroy();
          }),
      });
    });
  });
}
