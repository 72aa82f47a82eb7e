import fs from 'node:fs';
import path from 'node:path';
import { zipSync } from 'fflate';
import { planPackage, signPlan } from '../src/core/dfuPackage';
import { imageFromBin } from '../src/core/firmwareImage';
import { encodeInitCommand } from '../src/core/initPacket';
import { decodeInitPacket } from '../src/core/initPacketDecoder';
import { verifyPackage } from '../src/core/packageVerify';
import { readPackageZip } from '../src/core/packageZip';
import { toLittleEndianHalves } from '../src/core/signature';
import { writeStoredZip } from '../src/node/storedZip';
import { SoftwareKey } from '../src/plugins/pemFile';
import { INPUTS } from './helpers/cli';
import { testSpec, zipOf } from './helpers/packages';

// Packets are put together field by field here, because the point is packets that no
// protobuf library would write: repeated messages, fields out of place, split arrays.
const varint = (value: number): number[] => {
  const out: number[] = [];
  for (let v = value >>> 0; ; v >>>= 7) {
    if (v < 0x80) return [...out, v];
    out.push((v & 0x7f) | 0x80);
  }
};
const lenField = (n: number, payload: ArrayLike<number>) => [...varint((n << 3) | 2), ...varint(payload.length), ...Array.from(payload)];
const numField = (n: number, v: number) => [...varint(n << 3), ...varint(v)];
const bytes = (...parts: ArrayLike<number>[]) => Uint8Array.from(parts.flatMap((p) => Array.from(p)));

const keyA = SoftwareKey.fromPem(fs.readFileSync(path.join(INPUTS, 'key_a.pem')), 'key_a.pem');
const firmware = (seed: number, length: number) => Uint8Array.from({ length }, (_, i) => (i * seed + 7) & 0xff);

const spec = (bin: Uint8Array) => testSpec({ application: { binName: 'app.bin', image: imageFromBin(bin, 'app.bin') } });

const genuineBin = firmware(31, 4000);
const craftedBin = firmware(17, 5000);
let genuineFiles: Map<string, Uint8Array>;
let genuineInit: Uint8Array;
let genuineSignature: Uint8Array;
let craftedInit: Uint8Array;
let publicKey: Uint8Array;

beforeAll(async () => {
  publicKey = await keyA.publicKey();
  genuineFiles = await signPlan(planPackage(spec(genuineBin)), (m) => keyA.sign(m));
  const packet = decodeInitPacket(genuineFiles.get('app.dat')!, 'app.dat');
  genuineInit = packet.initBytes;
  genuineSignature = packet.signed!.signature;
  craftedInit = encodeInitCommand(planPackage(spec(craftedBin)).images[0].init);
});

const command = (init: Uint8Array | undefined, ...extra: number[][]) => bytes(numField(1, 1), init ? lenField(2, init) : [], ...extra);
const signedCommand = (cmd: Uint8Array, signature: Uint8Array) => bytes(lenField(1, cmd), numField(2, 0), lenField(3, signature));
const signLE = async (message: Uint8Array) => toLittleEndianHalves(await keyA.sign(message));

/** The genuine package with its .dat (and optionally its .bin) replaced. */
async function verdictFor(dat: Uint8Array, bin = genuineBin) {
  const files = new Map(genuineFiles);
  files.set('app.dat', dat);
  files.set('app.bin', bin);
  return verifyPackage(await zipOf(files), 'p.zip', publicKey);
}

describe('the verifier reads init packets as the nRF5 bootloader does', () => {
  test('the genuine package verifies (control)', async () => {
    expect((await verdictFor(genuineFiles.get('app.dat')!)).accepted).toBe(true);
  });

  test('FORGERY: a second signed_command reusing the genuine signature for other firmware is refused', async () => {
    const dat = bytes(lenField(2, signedCommand(command(genuineInit), genuineSignature)), lenField(2, signedCommand(command(craftedInit), genuineSignature)));
    const verdict = await verdictFor(dat, craftedBin);
    expect(verdict.accepted).toBe(false);
    expect(verdict.images[0].problems).toEqual(['app.dat: the bootloader would refuse this init packet: a second init command (the bootloader takes exactly one)']);
  });

  test('FORGERY: a second command inside one signed_command is refused', async () => {
    const dat = bytes(lenField(2, bytes(lenField(1, command(genuineInit)), lenField(1, command(craftedInit)), numField(2, 0), lenField(3, genuineSignature))));
    const verdict = await verdictFor(dat, craftedBin);
    expect(verdict.accepted).toBe(false);
    expect(verdict.images[0].problems[0]).toMatch(/a second init command/);
  });

  test('FORGERY: a second init inside one command is refused', async () => {
    const dat = bytes(lenField(2, signedCommand(bytes(numField(1, 1), lenField(2, genuineInit), lenField(2, craftedInit)), genuineSignature)));
    expect((await verdictFor(dat, craftedBin)).images[0].problems[0]).toMatch(/a second init command/);
  });

  test('command beside signed_command is refused', async () => {
    const dat = bytes(lenField(1, command(undefined)), lenField(2, signedCommand(command(genuineInit), genuineSignature)));
    expect((await verdictFor(dat)).images[0].problems[0]).toMatch(/holds both a command and a signed command/);
  });

  test('two unsigned commands with an init each are refused', () => {
    const dat = bytes(lenField(1, command(genuineInit)), lenField(1, command(craftedInit)));
    expect(() => decodeInitPacket(dat, 'x.dat')).toThrow('x.dat: the bootloader would refuse this init packet: a second init command (the bootloader takes exactly one)');
  });

  test('a later signed_command without init replaces the signature (accepted when that one is right, with a warning)', async () => {
    const zeros = new Uint8Array(64);
    const lastRight = await verdictFor(bytes(lenField(2, signedCommand(command(genuineInit), zeros)), lenField(2, signedCommand(command(undefined), genuineSignature))));
    expect(lastRight.accepted).toBe(true);
    expect(lastRight.images[0].warnings).toContain('app.dat: the signed command appears 2 times (the bootloader takes the last signature; pkg generate writes it once)');
    const lastWrong = await verdictFor(bytes(lenField(2, signedCommand(command(genuineInit), genuineSignature)), lenField(2, signedCommand(command(undefined), zeros))));
    expect(lastWrong.accepted).toBe(false);
    expect(lastWrong.images[0].signature).toBe('other-key');
  });

  test('the signed bytes run from the init payload to the end of its command', async () => {
    const reset = lenField(3, numField(1, 5));
    const genuineSigOverInitOnly = await verdictFor(bytes(lenField(2, signedCommand(command(genuineInit, reset), genuineSignature))));
    expect(genuineSigOverInitOnly.images[0].signature).toBe('other-key');
    const signedWithReset = bytes(genuineInit, reset);
    const dat = bytes(lenField(2, signedCommand(command(genuineInit, reset), await signLE(signedWithReset))));
    expect(Buffer.from(decodeInitPacket(dat, 'x.dat').initBytes)).toEqual(Buffer.from(signedWithReset));
    const verdict = await verdictFor(dat);
    expect(verdict.accepted).toBe(true);
    expect(verdict.images[0].warnings).toEqual([expect.stringMatching(/fields after the init command/)]);
  });

  test('unknown fields are skipped with a warning; op_code is not checked', async () => {
    const outside = await verdictFor(bytes(genuineFiles.get('app.dat')!, numField(9, 3)));
    expect(outside.accepted).toBe(true);
    expect(outside.images[0].warnings).toEqual(['app.dat: unknown field 9 in Packet (skipped by the bootloader; pkg generate never writes it)']);
    const reset = await verdictFor(bytes(lenField(2, signedCommand(bytes(numField(1, 0), lenField(2, genuineInit)), genuineSignature))));
    expect(reset.accepted).toBe(true);
    expect(reset.images[0].warnings).toEqual(['app.dat: op_code is 0, not INIT (the bootloader does not check it; pkg generate writes INIT)']);
  });

  test('sd_req split over packed and unpacked pieces is appended, and the values come from the signed bytes', async () => {
    const init = bytes(numField(1, 1), numField(2, 52), lenField(3, [...varint(0xca), ...varint(0x100)]), numField(3, 0x101), numField(4, 0));
    const packet = decodeInitPacket(bytes(lenField(2, signedCommand(command(init), await signLE(init)))), 'x.dat');
    expect(packet.init.sdReq).toEqual([0xca, 0x100, 0x101]);
    expect(packet.init.hwVersion).toBe(52);
  });

  test.each([
    ['a packet over 512 bytes', () => bytes(lenField(2, signedCommand(command(genuineInit), genuineSignature)), lenField(9, new Uint8Array(400))), /it is \d+ bytes, the bootloader accepts at most 512/],
    ['a truncated packet', () => genuineFiles.get('app.dat')!.subarray(0, 40), /parent stream too short/],
    ['a 65-byte signature', () => bytes(lenField(2, signedCommand(command(genuineInit), new Uint8Array(65)))), /the signature is 65 bytes, the bootloader holds at most 64/],
    ['a signed command without its signature type', () => bytes(lenField(2, bytes(lenField(1, command(genuineInit)), lenField(3, genuineSignature)))), /lacks required field 2/],
    ['a varint of 11 bytes', () => bytes(lenField(1, bytes(numField(1, 1), [0x08, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]))), /varint longer than 10 bytes/],
    ['a group (wire type 3)', () => bytes([0x3b, 0x3c]), /invalid wire type 3/],
    ['no init at all', () => bytes(lenField(1, numField(1, 1))), /holds no init command/],
    ['a known field with the wrong wire type', () => bytes(lenField(1, bytes(lenField(1, [1])))), /op_code has wire type 2, expected 0/],
  ])('%s is refused', (_, make, message) => {
    expect(() => decodeInitPacket(make(), 'x.dat')).toThrow(message);
  });
});

describe('the zip reader refuses what would let a verifier and a device disagree', () => {
  /** Renames member `from` to `to` (same length) in local and central headers. */
  function rename(zip: Uint8Array, from: string, to: string): Uint8Array {
    const out = Buffer.from(zip);
    for (let at = out.indexOf(from); at >= 0; at = out.indexOf(from, at + 1)) out.write(to, at, 'latin1');
    return out;
  }

  test('two members with the same name', async () => {
    const files = new Map(genuineFiles);
    files.set('app.bix', craftedBin);
    const zip = rename(writeStoredZip(files), 'app.bix', 'app.bin');
    await expect(readPackageZip(zip, 'dup.zip')).rejects.toThrow('dup.zip: member app.bin appears twice');
    const verdict = await verifyPackage(zip, 'dup.zip', publicKey);
    expect(verdict).toMatchObject({ accepted: false, problems: [expect.stringMatching(/member app\.bin appears twice/)] });
  });

  test('a member larger than any nRF5 flash is refused before it is inflated', async () => {
    const zip = zipSync({ 'manifest.json': new Uint8Array(2), 'app.bin': new Uint8Array(2 * 1024 * 1024) }, { level: 9 });
    expect(zip.length).toBeLessThan(10_000);
    await expect(readPackageZip(zip, 'big.zip')).rejects.toThrow('big.zip: member app.bin is 2097152 bytes uncompressed, over the limit of 1048576');
  });

  test('a member whose header understates its size stops inflating at the declared size', async () => {
    const zip = Buffer.from(zipSync({ 'app.bin': new Uint8Array(900_000) }, { level: 9 }));
    // Declare 1,000 bytes in the central directory (uncompressed size at offset 24).
    const central = zip.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
    zip.writeUInt32LE(1000, central + 24);
    await expect(readPackageZip(zip, 'liar.zip')).rejects.toThrow('liar.zip: member app.bin inflates to more than the 1000 bytes its header declares');
  });

  test('a member whose CRC does not match is corrupt', async () => {
    const zip = Buffer.from(writeStoredZip(genuineFiles));
    zip[zip.indexOf(Buffer.from(genuineBin.subarray(0, 16))) + 3] ^= 1;
    await expect(readPackageZip(zip, 'crc.zip')).rejects.toThrow('crc.zip: member app.bin is corrupt (CRC-32 mismatch)');
  });

  test('deflated packages (as other zip tools write them) still read', async () => {
    const zip = zipSync(Object.fromEntries(genuineFiles), { level: 6 });
    expect((await verifyPackage(zip, 'deflated.zip', publicKey)).accepted).toBe(true);
  });
});
