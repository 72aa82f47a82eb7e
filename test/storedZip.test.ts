import { randomBytes } from 'node:crypto';
import { writePackageZip } from '../src/core/packageZip';
import { writeStoredZip } from '../src/core/storedZip';

describe('stored-zip writer', () => {
  test.each([0, 1, 3, 1000, 200 * 1024])('gives the same bytes as jszip (firmware of %i bytes)', async (size) => {
    const files = new Map<string, Uint8Array>([
      ['manifest.json', new TextEncoder().encode('{"manifest": {}}')],
      ['app.bin', randomBytes(size)],
      ['app.dat', randomBytes(142)],
    ]);
    expect(Buffer.from(writeStoredZip(files))).toEqual(Buffer.from(await writePackageZip(files)));
    // the cached CRC of a reused buffer stays right when the other members change
    files.set('app.dat', randomBytes(140));
    expect(Buffer.from(writeStoredZip(files))).toEqual(Buffer.from(await writePackageZip(files)));
  });

  test('refuses names it cannot write like jszip', () => {
    expect(() => writeStoredZip(new Map([['café.bin', new Uint8Array(1)]]))).toThrow(/ASCII/);
  });
});
