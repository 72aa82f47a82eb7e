import { randomBytes } from 'node:crypto';
import { writePackageZip } from '../src/core/packageZip';
import { createHash } from 'node:crypto';
import { storedZipImage, writeStoredZip } from '../src/node/storedZip';

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

  test('the image\'s chunks are the zip, and its sha256 stays right when the hash resumes from a cached firmware', () => {
    const firmware = randomBytes(200 * 1024);
    const sha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
    for (const [bin, dat] of [['app.bin', 'app.dat'], ['app.bin', 'app.dat'], ['other.bin', 'other.dat']]) {
      const files = new Map<string, Uint8Array>([[bin, firmware], [dat, randomBytes(140)], ['manifest.json', randomBytes(30)]]);
      const image = storedZipImage(files);
      const joined = Buffer.concat(image.chunks);
      expect(joined.length).toBe(image.size);
      expect(joined).toEqual(Buffer.from(writeStoredZip(files)));
      expect(image.sha256).toBe(sha(joined));
    }
  });

  test('writePackageZip takes the stored-zip writer for ASCII names and jszip for others, same bytes', async () => {
    const ascii = new Map<string, Uint8Array>([['app.bin', randomBytes(64)], ['manifest.json', randomBytes(9)]]);
    expect(Buffer.from(await writePackageZip(ascii))).toEqual(Buffer.from(await writePackageZip(ascii)));
    const other = new Map<string, Uint8Array>([['café.bin', randomBytes(8)]]);
    expect(Buffer.from(await writePackageZip(other))).toEqual(Buffer.from(await writePackageZip(other)));
  });

  test('refuses names it cannot write like jszip', () => {
    expect(() => writeStoredZip(new Map([['café.bin', new Uint8Array(1)]]))).toThrow(/ASCII/);
  });
});
