import { createPublicKey, generateKeyPairSync, randomBytes } from 'node:crypto';
import { portableCrypto } from '../src/core/cryptoBackend';
import { parsePemKey, publicKeyToPem } from '../src/core/pemDer';
import { publicKeyFromJwk, scalarFromJwk } from '../src/core/keyEncoding';
import { signP256 } from '../src/core/signature';
import { crc32, portableCrc32 } from '../src/core/crc32';
import { nodeCrypto } from '../src/node/nodeCrypto';
import { signP256Deterministic } from '../src/node/deterministicEcdsa';
import zlib from 'node:zlib';

/** Core's portable primitives and Node's fast ones must agree: the CLI uses one, browsers the other. */
describe('portable and Node crypto agree', () => {
  const keys = Array.from({ length: 20 }, () => generateKeyPairSync('ec', { namedCurve: 'prime256v1' }));

  test('SHA-256 and CRC-32', () => {
    for (let i = 0; i < 50; i++) {
      const data = randomBytes(i * 97);
      expect(Buffer.from(portableCrypto.sha256(data))).toEqual(Buffer.from(nodeCrypto.sha256(data)));
      // importing nodeCrypto installed zlib's CRC-32 as core's: the portable one must agree
      expect(crc32(data)).toBe(zlib.crc32(data) >>> 0);
      expect(portableCrc32(data)).toBe(crc32(data));
      expect(crc32(data.subarray(7), crc32(data.subarray(0, 7)))).toBe(crc32(data));
      expect(portableCrc32(data.subarray(7), portableCrc32(data.subarray(0, 7)))).toBe(crc32(data));
    }
  });

  test('signing and verification, right key, neighbour key, tampered message', () => {
    keys.forEach(({ privateKey }, i) => {
      const jwk = privateKey.export({ format: 'jwk' });
      const d = scalarFromJwk(jwk);
      const xy = publicKeyFromJwk(jwk);
      const neighbour = publicKeyFromJwk(keys[(i + 1) % keys.length].publicKey.export({ format: 'jwk' }));
      const message = randomBytes(i * 13);
      const signature = signP256(d, message);
      expect(Buffer.from(signature)).toEqual(Buffer.from(signP256Deterministic(d, message)));
      for (const backend of [portableCrypto, nodeCrypto]) {
        expect(backend.verifyP256(xy, message, signature)).toBe(true);
        expect(backend.verifyP256(neighbour, message, signature)).toBe(false);
        expect(backend.verifyP256(xy, Buffer.concat([message, Buffer.of(0)]), signature)).toBe(false);
        expect(backend.verifyP256(new Uint8Array(64).fill(1), message, signature)).toBe(false); // not on the curve
      }
    });
  });

  test('PEM parsing and writing match OpenSSL (SEC1, PKCS#8, SPKI)', () => {
    for (const { privateKey, publicKey } of keys) {
      const jwk = privateKey.export({ format: 'jwk' });
      const expected = { d: Buffer.from(scalarFromJwk(jwk)), xy: Buffer.from(publicKeyFromJwk(jwk)) };
      for (const type of ['sec1', 'pkcs8'] as const) {
        const parsed = parsePemKey(privateKey.export({ type, format: 'pem' }).toString(), 'k.pem');
        expect({ d: Buffer.from(parsed.d!), xy: Buffer.from(parsed.xy) }).toEqual(expected);
      }
      const spki = publicKey.export({ type: 'spki', format: 'pem' }).toString();
      expect(Buffer.from(parsePemKey(spki, 'k.pem').xy)).toEqual(expected.xy);
      expect(publicKeyToPem(expected.xy)).toBe(spki);
      expect(createPublicKey(publicKeyToPem(expected.xy)).export({ format: 'jwk' })).toEqual(publicKey.export({ format: 'jwk' }));
    }
  });

  test('a public key that is not a point on P-256 is refused', () => {
    const der = Buffer.from(keys[0].publicKey.export({ type: 'spki', format: 'der' }));
    der[der.length - 1] ^= 1; // y changed: off the curve
    const pem = `-----BEGIN PUBLIC KEY-----\n${der.toString('base64')}\n-----END PUBLIC KEY-----\n`;
    expect(() => parsePemKey(pem, 'off.pem')).toThrow('off.pem: the public key is not a point on P-256');
    expect(parsePemKey(keys[0].publicKey.export({ type: 'spki', format: 'pem' }).toString(), 'on.pem').xy).toHaveLength(64);
  });

  test('keys on other curves and other key types are refused by name', () => {
    const k1 = generateKeyPairSync('ec', { namedCurve: 'secp256k1' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    expect(() => parsePemKey(k1, 'k1.pem')).toThrow("k1.pem: an EC key on curve secp256k1, not a P-256 (prime256v1) key; create one with 'nrfutil keys generate'");
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    expect(() => parsePemKey(rsa, 'rsa.pem')).toThrow('rsa.pem: not an EC key');
    const encrypted = keys[0].privateKey.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'x' }).toString();
    expect(() => parsePemKey(encrypted, 'enc.pem')).toThrow('enc.pem: the key is encrypted');
    expect(() => parsePemKey('hello', 'x.pem')).toThrow('x.pem: not a PEM key (no -----BEGIN line)');
  });
});
