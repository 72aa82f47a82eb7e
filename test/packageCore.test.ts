import JSZip from 'jszip';
import { planPackage, PackageSpec, signPlan } from '../src/core/dfuPackage';
import { decodeInitPacket, FwType, ValidationType } from '../src/core/initPacket';
import { buildManifest, parseManifest } from '../src/core/manifest';
import { isUnsafeMemberName, readPackageZip, writePackageZip } from '../src/core/packageZip';
import { toLittleEndianHalves, verifyP256 } from '../src/core/signature';
import { SoftwareKey } from '../src/plugins/pemFile';
import { testSpec } from './helpers/packages';

const image = (n: number, fill: number) => ({ binName: `img${fill}.bin`, image: { bin: new Uint8Array(n).fill(fill), startAddress: 0x1000 } });
const base: PackageSpec = testSpec({ applicationVersion: 5, bootloaderVersion: 2 });

describe('manifest.json', () => {
  test('sorted keys, 4-space indent, no trailing newline, sd_bl metadata', () => {
    const text = buildManifest([
      { kind: 'softdevice_bootloader', binName: 'sd_bl.bin', datName: 'sd_bl.dat', init: { sdSize: 8, blSize: 4 } },
      { kind: 'application', binName: 'a.bin', datName: 'a.dat', init: { sdSize: 0, blSize: 0 } },
    ]);
    expect(text).toBe(
      '{\n    "manifest": {\n        "application": {\n            "bin_file": "a.bin",\n            "dat_file": "a.dat"\n        },\n' +
        '        "softdevice_bootloader": {\n            "bin_file": "sd_bl.bin",\n            "dat_file": "sd_bl.dat",\n' +
        '            "info_read_only_metadata": {\n                "bl_size": 4,\n                "sd_size": 8\n            }\n        }\n    }\n}',
    );
    expect(parseManifest(text).map((r) => r.kind)).toEqual(['softdevice_bootloader', 'application']);
  });

  test('parseManifest refuses malformed manifests', () => {
    expect(() => parseManifest('{')).toThrow(/not valid JSON/);
    expect(() => parseManifest('{"manifest": {"application": {"bin_file": 1}}}')).toThrow(/bin_file/);
    expect(() => parseManifest('{"manifest": {}}')).toThrow(/no images/);
  });
});

describe('package planning and signing', () => {
  test('SoftDevice + bootloader + application: sd_bl image, sd-id for the application', () => {
    const plan = planPackage({ ...base, softdevice: image(8, 1), bootloader: image(4, 2), application: image(12, 3), sdId: [0x100] });
    expect(plan.images.map((i) => i.kind)).toEqual(['softdevice_bootloader', 'application']);
    const [sdbl, app] = plan.images;
    expect(sdbl.binName).toBe('sd_bl.bin');
    expect([...sdbl.bin]).toEqual([1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2]);
    expect(sdbl.init).toMatchObject({ type: FwType.SOFTDEVICE_BOOTLOADER, sdSize: 8, blSize: 4, fwVersion: 2, sdReq: [0x100, 0xca] });
    expect(app.init).toMatchObject({ type: FwType.APPLICATION, appSize: 12, fwVersion: 5, sdReq: [0x100] });
  });

  test('ECDSA boot validation signs the SoftDevice part of sd_bl, and the init command is signed', async () => {
    const key = SoftwareKey.generate('k');
    const plan = planPackage({ ...base, softdevice: image(8, 1), bootloader: image(4, 2), sdBootValidation: ValidationType.VALIDATE_ECDSA_P256_SHA256 });
    const files = await signPlan(plan, (m) => key.sign(m));
    const packet = decodeInitPacket(files.get('sd_bl.dat')!, 'sd_bl.dat');
    const pk = await key.publicKey();
    const bvSig = toLittleEndianHalves(packet.init.bootValidation[0].bytes);
    expect(verifyP256(pk, new Uint8Array(8).fill(1), bvSig)).toBe(true);
    expect(packet.init.bootValidation[1]).toEqual({ type: ValidationType.VALIDATE_GENERATED_CRC, bytes: expect.any(Uint8Array) });
    expect(verifyP256(pk, packet.initBytes, toLittleEndianHalves(packet.signed!.signature))).toBe(true);
  });

  test('without a signer the packets are unsigned; an ECDSA boot validation then fails loudly', async () => {
    const files = await signPlan(planPackage({ ...base, application: image(4, 9) }));
    expect(decodeInitPacket(files.get('img9.dat')!, 'x').signed).toBeUndefined();
    await expect(signPlan(planPackage({ ...base, application: image(4, 9), appBootValidation: ValidationType.VALIDATE_ECDSA_P256_SHA256 }))).rejects.toThrow(/signing key/);
  });
});

describe('package zip', () => {
  test('members are stored, sorted, with a fixed timestamp: same input, same bytes', async () => {
    const files = new Map([['b.dat', Uint8Array.of(2)], ['a.bin', Uint8Array.of(1)]]);
    const one = await writePackageZip(files);
    const two = await writePackageZip(new Map([...files].reverse()));
    expect(Buffer.from(one)).toEqual(Buffer.from(two));
    const zip = await JSZip.loadAsync(one);
    expect(Object.keys(zip.files)).toEqual(['a.bin', 'b.dat']);
    expect((zip.files['a.bin'] as unknown as { _data: { compression: { magic: string } } })._data.compression.magic).toBe('\x00\x00');
    expect(await readPackageZip(one, 'x.zip')).toEqual(new Map([['a.bin', Uint8Array.of(1)], ['b.dat', Uint8Array.of(2)]]));
  });

  test('a truncated zip is refused with its name', async () => {
    const bytes = await writePackageZip(new Map([['a.bin', new Uint8Array(100)]]));
    await expect(readPackageZip(bytes.subarray(0, 60), 'cut.zip')).rejects.toThrow(/cut\.zip: not a readable zip/);
  });

  test.each([['../x', true], ['/etc/passwd', true], ['a/../../b', true], ['C:\\x', true], ['app.bin', false], ['dir/app.bin', false]])(
    'member name %s unsafe: %s',
    (name, unsafe) => expect(isUnsafeMemberName(name)).toBe(unsafe),
  );
});
