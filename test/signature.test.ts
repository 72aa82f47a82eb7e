import fs from 'node:fs';
import path from 'node:path';
import { decodeInitPacket } from '../src/core/initPacket';
import { signP256, toLittleEndianHalves, verifyP256 } from '../src/core/signature';
import { SoftwareKey } from '../src/plugins/pemFile';
import { CORPUS, input } from './helpers/cli';

describe('ECDSA P-256 signatures', () => {
  const key = SoftwareKey.fromPem(input('key_a.pem'), 'key_a.pem');

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
});
