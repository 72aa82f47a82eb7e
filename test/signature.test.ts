import { p256 } from '@noble/curves/p256';
import { sha256 } from '@noble/hashes/sha256';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { decodeInitPacket } from '../src/core/initPacket';
import { isP256Point, P256, p256 as ourP256, p256ScalarField } from '../src/core/p256';
import { signP256, toLittleEndianHalves, verifyP256 } from '../src/core/signature';
import { SoftwareKey } from '../src/plugins/pemFile';
import { CORPUS, input } from './helpers/cli';

describe('ECDSA P-256 signatures', () => {
  const key = SoftwareKey.fromPem(input('key_a.pem'), 'key_a.pem');

  test("core/p256 (built on first use) is noble's own P-256", () => {
    const ours = ourP256();
    expect(ours).toBe(ourP256());
    expect({ p: ours.CURVE.Fp.ORDER, n: ours.CURVE.n, h: ours.CURVE.h, a: ours.CURVE.a, b: ours.CURVE.b, Gx: ours.CURVE.Gx, Gy: ours.CURVE.Gy })
      .toEqual({ p: p256.CURVE.Fp.ORDER, n: p256.CURVE.n, h: p256.CURVE.h, a: p256.CURVE.a, b: p256.CURVE.b, Gx: p256.CURVE.Gx, Gy: p256.CURVE.Gy });
    expect({ p: P256.p, n: P256.n }).toEqual({ p: p256.CURVE.Fp.ORDER, n: p256.CURVE.n });
    expect(p256ScalarField.ORDER).toBe(p256.CURVE.n);
    const d = randomBytes(32);
    const message = randomBytes(40);
    expect(Buffer.from(ours.sign(message, d, { prehash: true, lowS: false }).toCompactRawBytes()))
      .toEqual(Buffer.from(p256.sign(message, d, { prehash: true, lowS: false }).toCompactRawBytes()));
    expect(Buffer.from(ours.getPublicKey(d, false))).toEqual(Buffer.from(p256.getPublicKey(d, false)));
  });

  test("isP256Point (no curve object) agrees with noble's point validation", () => {
    const nobleSays = (x: bigint, y: bigint) => {
      try {
        p256.Point.fromAffine({ x, y }).assertValidity();
        return true;
      } catch {
        return false;
      }
    };
    for (let i = 0; i < 20; i++) {
      const { x, y } = p256.Point.fromHex(p256.getPublicKey(randomBytes(32), false)).toAffine();
      for (const [px, py] of [[x, y], [x, y + 1n], [x + P256.p, y], [y, x]] as const) expect(isP256Point(px, py)).toBe(nobleSays(px, py));
      expect(isP256Point(x, y)).toBe(true);
    }
  });

  test('RFC 6979 signing reproduces the signature nrfutil recorded', async () => {
    const dat = fs.readFileSync(path.join(CORPUS, 'cases', 'pkg-app-signed', 'out', 'app.zip', 'app_nrf52.dat'));
    const packet = decodeInitPacket(dat, 'app_nrf52.dat');
    const signature = await key.sign(packet.initBytes);
    expect(Buffer.from(toLittleEndianHalves(signature))).toEqual(Buffer.from(packet.signed!.signature));
  });

  test('signatures are deterministic and verify only with the signing key', async () => {
    const message = new TextEncoder().encode('init command');
    const a = await key.sign(message);
    expect(Buffer.from(await key.sign(message))).toEqual(Buffer.from(a));
    expect(verifyP256(await key.publicKey(), message, a)).toBe(true);
    const other = SoftwareKey.generate('other');
    expect(verifyP256(await other.publicKey(), message, a)).toBe(false);
    expect(verifyP256(await key.publicKey(), new TextEncoder().encode('init commanD'), a)).toBe(false);
  });

  test('little-endian halves: each of r and s reversed, and the transform undoes itself', () => {
    const rs = new Uint8Array(64).map((_, i) => i);
    const le = toLittleEndianHalves(rs);
    expect(le[0]).toBe(31);
    expect(le[32]).toBe(63);
    expect(toLittleEndianHalves(le)).toEqual(rs);
    expect(rs[0]).toBe(0); // the input is not modified, not even through a Buffer view
    const buf = Buffer.from(rs);
    toLittleEndianHalves(buf);
    expect(buf[0]).toBe(0);
  });

  test('signP256 works on a raw scalar', () => {
    const d = new Uint8Array(32).fill(1);
    expect(signP256(d, Uint8Array.of(1)).length).toBe(64);
  });

  // RFC 6979 appendix A.2.5: P-256, SHA-256.
  test.each([
    ['sample', 'efd48b2aacb6a8fd1140dd9cd45e81d69d2c877b56aaf991c34d0ea84eaf3716', 'f7cb1c942d657c41d436c7a1b6e29f65f3e900dbb9aff4064dc4ab2f843acda8'],
    ['test', 'f1abb023518351cd71d881567b1ea663ed3efcf6c5132b354f28d3b0b7d38367', '019f4113742a2b14bd25926b49c649155f267e60d3814b4c0cc84250e46f0083'],
  ])('RFC 6979 test vector: message "%s"', (message, r, s) => {
    const d = Buffer.from('c9afa9d845ba75166b5c215767b1d6934e50c3db36e89b127b8a622b120f6721', 'hex');
    expect(Buffer.from(signP256(d, Buffer.from(message))).toString('hex')).toBe(r + s);
  });

  test('the fast signer gives noble\'s bytes for 500 random keys and messages', () => {
    for (let i = 0; i < 500; i++) {
      const d = p256.utils.randomPrivateKey();
      const message = randomBytes(i % 300);
      const expected = p256.sign(sha256(message), d, { lowS: false, prehash: false }).toCompactRawBytes();
      expect(Buffer.from(signP256(d, message)).toString('hex')).toBe(Buffer.from(expected).toString('hex'));
    }
  });

  test('an out-of-range private scalar is refused', () => {
    expect(() => signP256(new Uint8Array(32), Uint8Array.of(1))).toThrow(/private key/);
    expect(() => signP256(new Uint8Array(32).fill(0xff), Uint8Array.of(1))).toThrow(/private key/);
  });
});
