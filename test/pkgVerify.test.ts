import fs from 'node:fs';
import path from 'node:path';
import { bootloaderLimits, initCommandLimitProblems } from '../src/core/bootloaderLimits';
import { planPackage, signPlan } from '../src/core/dfuPackage';
import { imageFromBin } from '../src/core/firmwareImage';
import { ValidationType } from '../src/core/initPacket';
import { verifyPackage } from '../src/core/packageVerify';
import { SoftwareKey } from '../src/plugins/pemFile';
import { INPUTS } from './helpers/cli';
import { flipByte, membersOf, recordedPackages, testSpec, zipOf } from './helpers/packages';

const keyA = SoftwareKey.fromPem(fs.readFileSync(path.join(INPUTS, 'key_a.pem')), 'key_a.pem');
const debugKey = SoftwareKey.fromPem(fs.readFileSync(path.join(INPUTS, 'debug_key.pem')), 'debug_key.pem');
const keys: Record<string, SoftwareKey> = { 'key_a.pem': keyA, 'debug_key.pem': debugKey };
const other = (file: string) => (file === 'key_a.pem' ? debugKey : keyA);

const app = imageFromBin(Uint8Array.from({ length: 4000 }, (_, i) => (i * 31) & 0xff), 'app.bin');
const spec = testSpec({ application: { binName: 'app.bin', image: app }, appBootValidation: ValidationType.VALIDATE_ECDSA_P256_SHA256 });
const signed = (s = spec, key: SoftwareKey | null = keyA) => signPlan(planPackage({ ...s, sdReq: [...s.sdReq] }), key ? (m) => key.sign(m) : undefined);

describe('verifyPackage on recorded nrfutil packages', () => {
  const cases = recordedPackages();
  test('the corpus holds signed packages to check', () => expect(cases.length).toBeGreaterThan(10));
  test.each(cases.map((c) => [c.name, c]))('%s verifies with its key and fails with another', async (_, c) => {
    const zip = await zipOf(membersOf(c.zipDir));
    const good = await verifyPackage(zip, 'p.zip', await keys[c.keyFile].publicKey());
    expect(good.images.flatMap((i) => i.problems)).toEqual([]);
    expect(good.accepted).toBe(true);
    const bad = await verifyPackage(zip, 'p.zip', await other(c.keyFile).publicKey());
    expect(bad.accepted).toBe(false);
    expect(bad.images[0].signature).toBe('other-key');
  });
});

describe('verifyPackage finds what the bootloader would reject', () => {
  const pub = () => keyA.publicKey();

  test('a package built here, ECDSA boot validation included, is accepted', async () => {
    const verdict = await verifyPackage(await zipOf(await signed()), 'p.zip', await pub());
    expect(verdict).toMatchObject({ accepted: true, problems: [] });
  });

  test('a flipped byte in the .bin breaks the hash and the ECDSA boot validation', async () => {
    const files = await signed();
    files.set('app.bin', flipByte(files.get('app.bin')!, 100));
    const [image] = (await verifyPackage(await zipOf(files), 'p.zip', await pub())).images;
    expect(image.problems).toEqual([
      'app.bin does not match the SHA-256 in app.dat',
      'the ECDSA boot-validation signature in app.dat does not verify with the given public key',
    ]);
  });

  test('a flipped byte in the .dat breaks its signature', async () => {
    const files = await signed();
    const dat = files.get('app.dat')!;
    files.set('app.dat', flipByte(dat, dat.length - 70)); // inside the InitCommand's hash
    const verdict = await verifyPackage(await zipOf(files), 'p.zip', await pub());
    expect(verdict.accepted).toBe(false);
    expect(verdict.images[0].problems.join('\n')).toMatch(/signed by another key|does not match the SHA-256|not a valid init packet/);
  });

  test('.dat files swapped between two packages: hash and size no longer match', async () => {
    const a = await signed();
    const b = await signed({ ...spec, application: { binName: 'app.bin', image: imageFromBin(new Uint8Array(512).fill(7), 'b.bin') } });
    a.set('app.dat', b.get('app.dat')!);
    const [image] = (await verifyPackage(await zipOf(a), 'p.zip', await pub())).images;
    expect(image.signature).toBe('valid');
    expect(image.problems).toContain('app.bin is 4000 bytes, the init packet says 512');
    expect(image.problems).toContain('app.bin does not match the SHA-256 in app.dat');
  });

  test('a truncated zip is rejected as unreadable', async () => {
    const zip = await zipOf(await signed());
    const verdict = await verifyPackage(zip.subarray(0, zip.length - 30), 'p.zip', await pub());
    expect(verdict.accepted).toBe(false);
    expect(verdict.problems[0]).toMatch(/^p\.zip: not a readable zip file/);
  });

  test('a member named ../x escapes the archive', async () => {
    const files = await signed();
    files.set('../x', new Uint8Array([1]));
    const verdict = await verifyPackage(await zipOf(files), 'p.zip', await pub());
    expect(verdict).toMatchObject({ accepted: false, problems: ['p.zip: member name ../x escapes the archive'] });
  });

  test('the SDK decoder holds 16 sd_req entries: 16 pass, 17 are refused', async () => {
    const sixteen = Array.from({ length: 16 }, (_, i) => i + 1);
    const ok = await verifyPackage(await zipOf(await signed({ ...spec, sdReq: sixteen } as never)), 'p.zip', await pub());
    expect(ok.images[0].problems).toEqual([]);
    const files = await signed({ ...spec, sdReq: [...sixteen, 17] } as never);
    const [image] = (await verifyPackage(await zipOf(files), 'p.zip', await pub())).images;
    expect(image.problems).toEqual(['app.dat: the bootloader would refuse this init packet: more than 16 sd_req entries (array overflow)']);
  });

  test('a bootloader built with a smaller sd_req array (--max-sd-req 4) refuses 5', async () => {
    const files = await signed({ ...spec, sdReq: [1, 2, 3, 4, 5] } as never);
    const [image] = (await verifyPackage(await zipOf(files), 'p.zip', await pub(), bootloaderLimits(4))).images;
    expect(image.problems).toEqual(['app.dat: the bootloader would refuse this init packet: more than 4 sd_req entries (array overflow)']);
  });

  test('an unsigned package is called unsigned', async () => {
    const files = await signed({ ...spec, appBootValidation: ValidationType.VALIDATE_GENERATED_CRC } as never, null);
    const [image] = (await verifyPackage(await zipOf(files), 'p.zip', await pub())).images;
    expect(image.signature).toBe('unsigned');
    expect(image.problems).toEqual(['app.dat is unsigned; the secure bootloader rejects unsigned packages']);
  });

  test('a manifest that is not JSON, or names a missing member', async () => {
    const files = await signed();
    files.set('manifest.json', new TextEncoder().encode('{"manifest": '));
    expect((await verifyPackage(await zipOf(files), 'p.zip', await pub())).problems[0]).toMatch(/manifest.json is not valid JSON/);
    const missing = await signed();
    missing.delete('app.bin');
    expect((await verifyPackage(await zipOf(missing), 'p.zip', await pub())).images[0].problems).toEqual(['app.bin is named in the manifest but missing from the zip']);
  });

  test('an init packet type that does not match the manifest entry', async () => {
    const files = await signed();
    const manifest = JSON.parse(new TextDecoder().decode(files.get('manifest.json')));
    files.set('manifest.json', new TextEncoder().encode(JSON.stringify({ manifest: { bootloader: manifest.manifest.application } })));
    const [image] = (await verifyPackage(await zipOf(files), 'p.zip', await pub())).images;
    expect(image.problems).toEqual(['app.dat is a APPLICATION init packet, but the manifest lists it as bootloader']);
  });

  test('limits: boot validations, hash and boot-validation bytes', () => {
    const init = { fwVersion: 1, hwVersion: 1, sdReq: [1], type: 0 as const, sdSize: 0, blSize: 0, appSize: 4, hashType: 3, hash: new Uint8Array(20), isDebug: false, bootValidation: [0, 1, 2, 3].map(() => ({ type: 1 as const, bytes: new Uint8Array(65) })) };
    expect(initCommandLimitProblems(init)).toEqual([
      '4 boot validations, the bootloader accepts at most 3',
      'a 20-byte hash, the bootloader needs 32',
      ...Array(4).fill('65 boot-validation bytes, the bootloader accepts at most 64'),
    ]);
  });
});
