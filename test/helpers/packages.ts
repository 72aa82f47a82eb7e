import fs from 'node:fs';
import path from 'node:path';
import type { PackageFiles, PackageSpec } from '../../src/core/dfuPackage';
import { ValidationType } from '../../src/core/initPacket';
import { writePackageZip } from '../../src/core/packageZip';
import { CORPUS } from './cli';

/** Recorded signed packages: the case name and the key file it was signed with. */
export function recordedPackages(): { name: string; zipDir: string; keyFile: string }[] {
  const out: { name: string; zipDir: string; keyFile: string }[] = [];
  for (const name of fs.readdirSync(path.join(CORPUS, 'cases')).sort()) {
    const c = JSON.parse(fs.readFileSync(path.join(CORPUS, 'cases', name, 'case.json'), 'utf8'));
    if (!c.tags.includes('pkg') || c.exit !== 0) continue;
    const keyAt = c.args.indexOf('--key-file');
    const zip = Object.entries(c.outputs as Record<string, { kind: string }>).find(([, o]) => o.kind === 'zip');
    if (keyAt < 0 || !zip) continue;
    out.push({ name, zipDir: path.join(CORPUS, 'cases', name, 'out', zip[0]), keyFile: c.args[keyAt + 1] });
  }
  return out;
}

/** The members of an unpacked recorded zip. */
export function membersOf(zipDir: string): PackageFiles {
  const files: PackageFiles = new Map();
  for (const f of fs.readdirSync(zipDir)) files.set(f, fs.readFileSync(path.join(zipDir, f)));
  return files;
}

/** A package spec for tests: hw 52, sd-req 0xCA, CRC boot validations, release build; `fields` override any of it. */
export function testSpec(fields: Partial<PackageSpec> = {}): PackageSpec {
  return {
    applicationVersion: 1,
    bootloaderVersion: 0xffffffff,
    hwVersion: 52,
    sdReq: [0xca],
    appBootValidation: ValidationType.VALIDATE_GENERATED_CRC,
    sdBootValidation: ValidationType.VALIDATE_GENERATED_CRC,
    isDebug: false,
    externalApp: false,
    ...fields,
  };
}

export function flipByte(bytes: Uint8Array, at: number): Uint8Array {
  const copy = Uint8Array.from(bytes);
  copy[at] ^= 0x01;
  return copy;
}

export const zipOf = (files: PackageFiles) => writePackageZip(files);
