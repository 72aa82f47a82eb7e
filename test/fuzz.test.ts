/**
 * Property-based fuzzing of every reader that takes outside input. `npm test` runs a
 * fixed seed (10,000 inputs per target, so CI replays the same inputs); `npm run fuzz`
 * runs many more with a random seed, printed so a failure can be replayed:
 * FUZZ_SEED=… FUZZ_RUNS=… npx jest test/fuzz.test.ts
 */
import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { zipSync } from 'fflate';
import { planPackage, signPlan } from '../src/core/dfuPackage';
import { parseDeviceList } from '../src/core/deviceList';
import { NrfutilError } from '../src/core/errors';
import { imageFromBin } from '../src/core/firmwareImage';
import { encodeInitCommand, InitCommand } from '../src/core/initPacket';
import { decodeInitPacket } from '../src/core/initPacketDecoder';
import { parseIntList, parseNrfInt } from '../src/core/integers';
import { parseIntelHex, writeIntelHex } from '../src/core/intelHex';
import { verifyPackageFiles } from '../src/core/packageVerify';
import { findSettings } from '../src/core/settingsDisplay';
import { readZipMembers, ZipFormatError } from '../src/core/zipReader';
import { parsePkcs11Uri } from '../src/plugins/pkcs11/uri';
import { SoftwareKey } from '../src/plugins/pemFile';
import { INPUTS } from './helpers/cli';
import { testSpec } from './helpers/packages';

const seed = process.env.FUZZ_SEED !== undefined ? Number(process.env.FUZZ_SEED) : 20261127;
const numRuns = process.env.FUZZ_RUNS !== undefined ? Number(process.env.FUZZ_RUNS) : 10_000;
const params = { seed, numRuns };
jest.setTimeout(600_000);

/** The only way a reader may fail: our one-line error, never a crash of another kind. */
function failsCleanly(run: () => unknown): boolean {
  try {
    run();
    return true;
  } catch (e) {
    if (e instanceof NrfutilError || e instanceof ZipFormatError) return true;
    throw e;
  }
}

const uint32 = fc.integer({ min: 0, max: 0xffffffff });
const initCommand: fc.Arbitrary<InitCommand> = fc.record({
  fwVersion: uint32,
  hwVersion: uint32,
  sdReq: fc.array(fc.integer({ min: 0, max: 0xffff }), { maxLength: 16 }),
  type: fc.constantFrom(0, 1, 2, 3, 4) as fc.Arbitrary<InitCommand['type']>,
  sdSize: uint32,
  blSize: uint32,
  appSize: uint32,
  hashType: fc.constantFrom(0, 3),
  hash: fc.uint8Array({ minLength: 32, maxLength: 32 }),
  isDebug: fc.boolean(),
  bootValidation: fc.array(fc.record({ type: fc.constantFrom(0, 1, 2, 3) as fc.Arbitrary<InitCommand['bootValidation'][number]['type']>, bytes: fc.uint8Array({ maxLength: 64 }) }), { maxLength: 3 }),
});

describe('init packets', () => {
  test('random bytes: decoded or refused in one line', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 600 }), (dat) => failsCleanly(() => decodeInitPacket(dat, 'x.dat'))), params);
  });

  test('round trip: what the encoder writes decodes to the same values, signed bytes = the InitCommand', () => {
    fc.assert(
      fc.property(initCommand, (init) => {
        const dat = Uint8Array.from([0x12, ...lengthPrefixed([0x0a, ...lengthPrefixed([0x08, 0x01, 0x12, ...lengthPrefixed(encodeInitCommand(init))]), 0x10, 0x00, 0x1a, 0x40, ...new Uint8Array(64)])]);
        const packet = decodeInitPacket(dat, 'x.dat');
        expect(packet.init).toEqual({ ...init, sdReq: init.sdReq, bootValidation: init.bootValidation });
        expect(Buffer.from(packet.initBytes)).toEqual(Buffer.from(encodeInitCommand(init)));
      }),
      { ...params, numRuns: Math.min(numRuns, 5000) },
    );
  });
});

function lengthPrefixed(bytes: ArrayLike<number>): number[] {
  const out: number[] = [];
  for (let v = bytes.length; ; v >>>= 7) {
    if (v < 0x80) {
      out.push(v);
      break;
    }
    out.push((v & 0x7f) | 0x80);
  }
  return [...out, ...Array.from(bytes)];
}

describe('pkg verify cannot be fooled', () => {
  // One genuinely signed package; the fuzzer may change its .dat (and add firmware of its
  // choosing) but cannot sign. Whatever verify accepts must describe the signed firmware.
  const key = SoftwareKey.fromPem(fs.readFileSync(path.join(INPUTS, 'key_a.pem')), 'key_a.pem');
  const genuineBin = Uint8Array.from({ length: 256 }, (_, i) => i);
  const otherBin = Uint8Array.from({ length: 256 }, (_, i) => 255 - i);
  let genuine: Map<string, Uint8Array>;
  let publicKey: Uint8Array;
  let genuineInit: InitCommand;

  beforeAll(async () => {
    const plan = planPackage(testSpec({ application: { binName: 'app.bin', image: imageFromBin(genuineBin, 'app.bin') }, applicationVersion: 3, bootloaderVersion: 0 }));
    genuine = await signPlan(plan, (m) => key.sign(m));
    publicKey = await key.publicKey();
    genuineInit = decodeInitPacket(genuine.get('app.dat')!, 'app.dat').init;
  });

  const splice = fc.record({ at: fc.nat(), remove: fc.nat({ max: 8 }), insert: fc.uint8Array({ maxLength: 24 }) });
  test('any edit of a signed init packet is refused or changes nothing the device acts on', () => {
    fc.assert(
      fc.property(fc.array(splice, { minLength: 1, maxLength: 4 }), fc.boolean(), fc.uint8Array({ maxLength: 200 }), (edits, swapFirmware, appended) => {
        let dat = Array.from(genuine.get('app.dat')!);
        for (const { at, remove, insert } of edits) {
          const where = at % (dat.length + 1);
          dat.splice(where, remove, ...insert);
        }
        if (appended.length) dat = [...dat, 0x12, ...lengthPrefixed(appended)];
        const files = new Map(genuine);
        files.set('app.dat', Uint8Array.from(dat));
        if (swapFirmware) files.set('app.bin', otherBin);
        const verdict = verifyPackageFiles(files, 'p.zip', publicKey);
        if (!verdict.accepted) return;
        const packet = decodeInitPacket(Uint8Array.from(dat), 'app.dat');
        expect(packet.init).toEqual(genuineInit);
        expect(Buffer.from(files.get('app.bin')!)).toEqual(Buffer.from(genuineBin));
      }),
      params,
    );
  });
});

describe('zip reader', () => {
  test('random bytes and damaged zips: read or refused in one line', () => {
    const base = zipSync({ 'manifest.json': new TextEncoder().encode('{}'), 'a.bin': new Uint8Array(300).fill(7) }, { level: 6 });
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), fc.array(fc.record({ at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }), { maxLength: 6 }), (noise, flips) => {
        failsCleanly(() => readZipMembers(noise, { memberBytes: 1 << 20, members: 64 }));
        const damaged = Uint8Array.from(base);
        for (const { at, value } of flips) damaged[at % damaged.length] = value;
        failsCleanly(() => readZipMembers(damaged, { memberBytes: 1 << 20, members: 64 }));
      }),
      params,
    );
  });

  test('round trip: members written (stored or deflated) are read back exactly', () => {
    const name = fc.stringMatching(/^[a-z][a-z0-9_.]{0,11}$/);
    fc.assert(
      fc.property(fc.dictionary(name, fc.uint8Array({ maxLength: 2000 }), { minKeys: 1, maxKeys: 5 }), fc.constantFrom(0, 6), (members, level) => {
        const read = readZipMembers(zipSync(members, { level: level as 0 | 6 }), { memberBytes: 1 << 20, members: 64 });
        expect(Object.fromEntries([...read].map(([k, v]) => [k, Buffer.from(v)]))).toEqual(Object.fromEntries(Object.entries(members).map(([k, v]) => [k, Buffer.from(v)])));
      }),
      { ...params, numRuns: Math.min(numRuns, 3000) },
    );
  });
});

describe('Intel HEX and settings pages', () => {
  const segment = fc.record({ address: fc.integer({ min: 0, max: 0x20_0000 }), data: fc.uint8Array({ minLength: 1, maxLength: 64 }) });

  test('round trip: what writeIntelHex writes parses back to the same bytes', () => {
    fc.assert(
      fc.property(fc.array(segment, { maxLength: 6 }), (segments) => {
        // Non-overlapping: each segment starts past the previous one's end.
        let next = 0;
        const laid = segments.map((s) => {
          const address = next + (s.address % 0x1000);
          next = address + s.data.length + 1;
          return { address, data: s.data };
        });
        const bytes = (list: { address: number; data: Uint8Array }[]) => {
          const out = new Map<number, number>();
          for (const s of list) s.data.forEach((b, i) => out.set(s.address + i, b));
          return [...out].sort((a, b) => a[0] - b[0]);
        };
        expect(bytes(parseIntelHex(writeIntelHex(laid), 'x.hex'))).toEqual(bytes(laid));
      }),
      { ...params, numRuns: Math.min(numRuns, 5000) },
    );
  });

  test('random text: parsed or refused in one line', () => {
    const line = fc.oneof(fc.string({ maxLength: 50 }), fc.stringMatching(/^:[0-9A-F]{10,44}$/));
    fc.assert(fc.property(fc.array(line, { maxLength: 12 }), (lines) => failsCleanly(() => parseIntelHex([...lines, ':00000001FF'].join('\n'), 'x.hex'))), params);
  });

  test('settings display: any memory is displayed or refused in one line', () => {
    const at = fc.constantFrom(0x7f000, 0x3fc00, 0xff000, 0x3f000, 0x2f000);
    fc.assert(
      fc.property(at, fc.uint8Array({ minLength: 0, maxLength: 900 }), (address, data) =>
        failsCleanly(() => findSettings(data.length ? [{ address, data }] : [], 's.hex', () => undefined)),
      ),
      { ...params, numRuns: Math.min(numRuns, 5000) },
    );
  });
});

describe('command-line values', () => {
  test('device lists: every accepted id is unique and safe as a file name', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.string({ maxLength: 20 }), fc.stringMatching(/^[A-Za-z0-9_][A-Za-z0-9_.:-]{0,10}$/)), { maxLength: 20 }), (lines) => {
        let list;
        try {
          list = parseDeviceList(lines.join('\n'), 'd.txt');
        } catch (e) {
          if (e instanceof NrfutilError) return;
          throw e;
        }
        expect(new Set(list.devices).size).toBe(list.devices.length);
        for (const id of list.devices) expect(id).toMatch(/^[A-Za-z0-9_][A-Za-z0-9_.:-]*$/);
        for (const id of list.devices) expect(id.includes('..')).toBe(false);
      }),
      params,
    );
  });

  test('PKCS#11 URIs: parsed or refused, and a PIN never appears in a message', () => {
    const pin = fc.stringMatching(/^[0-9]{6,8}$/);
    const attr = fc.stringMatching(/^[a-z-]{1,12}$/);
    fc.assert(
      fc.property(pin, fc.array(fc.tuple(attr, fc.string({ maxLength: 8 })), { maxLength: 4 }), fc.constantFrom('=', ':', '', '=='), fc.constantFrom('pkcs11:', 'PKCS11:', 'Pkcs11:'), (secret, pairs, sep, scheme) => {
        const uri = `${scheme}${pairs.map(([k, v]) => `${k}=${v}`).join(';')}?pin-value${sep}${secret}`;
        try {
          parsePkcs11Uri(uri);
        } catch (e) {
          if (!(e instanceof NrfutilError)) throw e;
          expect(e.message).not.toContain(secret);
        }
      }),
      params,
    );
  });

  test('integers: decimal, 0x hex and 0-octal forms of a number parse to it; anything else is a usage error', () => {
    fc.assert(
      fc.property(fc.nat(), fc.string({ maxLength: 12 }), (n, junk) => {
        expect(parseNrfInt(String(n), '--x')).toBe(n);
        expect(parseNrfInt(`0x${n.toString(16)}`, '--x')).toBe(n);
        if (n > 0) expect(parseNrfInt(`0${n.toString(8)}`, '--x')).toBe(n);
        failsCleanly(() => parseIntList(junk, '--x'));
      }),
      params,
    );
  });
});
