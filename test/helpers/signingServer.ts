import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { signP256Deterministic } from '../../src/node/deterministicEcdsa';

/** A key per name, derived from it (tests recompute it; never do this with real keys). */
export function derivedKey(name: string): { d: Uint8Array; xy: Uint8Array } {
  const d = crypto.createHash('sha256').update(`signing-server:${name}`).digest();
  const ecdh = crypto.createECDH('prime256v1');
  ecdh.setPrivateKey(d);
  const point = ecdh.getPublicKey();
  return { d: new Uint8Array(d), xy: new Uint8Array(point.subarray(1)) };
}

/**
 * A real HTTP signing service on 127.0.0.1 for the http-signer fixture provider: it answers
 * each /sign after `delayMs`, never for keys in `hang`, and counts what a test asks about:
 * signatures in flight at once, and requests the client gave up on (closed unanswered).
 */
export interface SigningServer {
  url: string;
  delayMs: number;
  hang: Set<string>;
  inFlight: number;
  maxInFlight: number;
  signed: number;
  abandoned: number;
  close(): Promise<void>;
}

export async function startSigningServer(): Promise<SigningServer> {
  const state = { delayMs: 0, hang: new Set<string>(), inFlight: 0, maxInFlight: 0, signed: 0, abandoned: 0 };
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const { key, message } = JSON.parse(body) as { key: string; message?: string };
      const { d, xy } = derivedKey(key);
      if (req.url === '/public-key') return void res.end(JSON.stringify({ publicKey: Buffer.from(xy).toString('hex') }));
      state.inFlight++;
      state.maxInFlight = Math.max(state.maxInFlight, state.inFlight);
      let answered = false;
      res.on('close', () => {
        state.inFlight--;
        if (!answered) state.abandoned++;
      });
      if (state.hang.has(key)) return;
      setTimeout(() => {
        // RFC 6979, as the PEM provider signs: the same message gives the same bytes
        const signature = Buffer.from(signP256Deterministic(d, Buffer.from(message!, 'hex')));
        answered = true;
        state.signed++;
        res.end(JSON.stringify({ signature: signature.toString('hex') }));
      }, state.delayMs);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(state, {
    url: `http://127.0.0.1:${port}`,
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  });
}
