/// <reference lib="dom" />
/**
 * nrfutil-ts/core in a real browser (Debian's headless Chromium): the ES module bundle
 * builds packages with the command line's exact bytes and verifies them, and the web/
 * inspector shows both verdicts (checked on its screenshots).
 */
import { generateKeyPairSync } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, ElementHandle, Page } from 'puppeteer-core';
import { launchChromium } from './helpers/chromium';
import { INPUTS, ROOT, runCli, tempDirWith } from './helpers/cli';
import { readmeExample } from './helpers/readmeExamples';

const BUNDLE = path.join(ROOT, 'dist', 'browser', 'nrfutil-core.mjs');
// https: WebCrypto's subtle API exists only in secure contexts (nothing is fetched; see servedPage).
const ORIGIN = 'https://nrfutil.test';
export const SCREENSHOTS = path.join(os.tmpdir(), 'nrfutil-ts-inspector');

let browser: Browser;
let closeBrowser: () => Promise<void>;
const b64 = (file: string) => fs.readFileSync(file).toString('base64');
const input = (name: string) => path.join(INPUTS, name);

/** Runs the CLI on copies of the inputs; returns the written file. */
function cli(args: string[], inputs: string[], output: string): { dir: string; bytes: Buffer } {
  const dir = tempDirWith(...inputs);
  const res = runCli([...args, output], { cwd: dir });
  expect(res.stderr).toBe('');
  return { dir, bytes: fs.readFileSync(path.join(dir, output)) };
}

/** A page whose only "server" is this test: requests are answered from memory, never sent. */
async function servedPage(html = '<!doctype html><title>core</title>'): Promise<Page> {
  const page = await browser.newPage();
  await page.setRequestInterception(true);
  page.on('request', (request) => {
    const url = request.url();
    if (url === `${ORIGIN}/`) return request.respond({ status: 200, contentType: 'text/html', body: html });
    if (url === `${ORIGIN}/nrfutil-core.mjs`) return request.respond({ status: 200, contentType: 'text/javascript', body: fs.readFileSync(BUNDLE, 'utf8') });
    if (url === `${ORIGIN}/app.bin`) return request.respond({ status: 200, contentType: 'application/octet-stream', body: fs.readFileSync(input('app_aligned.bin')) });
    return request.abort();
  });
  await page.goto(`${ORIGIN}/`);
  return page;
}

async function libraryPage(): Promise<Page> {
  const page = await servedPage();
  // A module script imports the bundle as an app would (not import() in evaluate: ts-jest
  // would compile that to require).
  await page.addScriptTag({ type: 'module', content: `import * as core from '${ORIGIN}/nrfutil-core.mjs'; window.core = core;` });
  await page.waitForFunction(() => 'core' in window);
  return page;
}

beforeAll(async () => {
  ({ browser, close: closeBrowser } = await launchChromium());
}, 60_000);
afterAll(async () => {
  await closeBrowser?.();
});

describe('nrfutil-ts/core in Chromium', () => {
  const neighbourPem = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).publicKey.export({ type: 'spki', format: 'pem' }).toString();

  test('a signed application package from a .bin and a PEM key: the CLI\'s bytes; verified with the right and a neighbour\'s key', async () => {
    const expected = cli(['pkg', 'generate', '--hw-version', '52', '--sd-req', '0xCA', '--application-version', '5', '--application', 'app_aligned.bin', '--key-file', 'key_a.pem'], ['app_aligned.bin', 'key_a.pem'], 'app.zip');
    const page = await libraryPage();
    const result = await page.evaluate(
      async (bin, pem, neighbour) => {
        const core = (window as unknown as { core: typeof import('../src/core/index') }).core;
        const bytes = (s: string) => Uint8Array.from(atob(s), (c) => c.charCodeAt(0));
        const key = core.pemKey(pem, 'key_a.pem');
        const zip: Uint8Array = await core.createPackage({ hwVersion: 52, sdReq: [0xca], applicationVersion: 5, application: { name: 'app_aligned.bin', data: bytes(bin) }, key });
        const right = await core.verifyPackage(zip, await key.publicKey(), 'app.zip');
        const wrong = await core.verifyPackage(zip, neighbour, 'app.zip');
        return {
          zip: btoa(String.fromCharCode(...zip)),
          hasBuffer: typeof (globalThis as { Buffer?: unknown }).Buffer !== 'undefined',
          right: { ok: right.ok, checks: right.images[0].checks },
          wrong: { ok: wrong.ok, signature: wrong.images[0].signature, text: wrong.text },
        };
      },
      b64(input('app_aligned.bin')),
      fs.readFileSync(input('key_a.pem'), 'utf8'),
      neighbourPem,
    );
    expect(result.hasBuffer).toBe(false);
    expect(Buffer.from(result.zip, 'base64').equals(expected.bytes)).toBe(true);
    expect(result.right.ok).toBe(true);
    expect(result.right.checks.every((c: { ok: boolean }) => c.ok)).toBe(true);
    expect(result.wrong).toMatchObject({ ok: false, signature: 'other-key' });
    fs.writeFileSync(path.join(expected.dir, 'neighbour.pem'), neighbourPem);
    expect(result.wrong.text).toBe(runCli(['pkg', 'verify', 'app.zip', '--key-file', 'neighbour.pem'], { cwd: expected.dir }).stdout);
    await page.close();
  });

  test('a SoftDevice + bootloader package from .hex files: the CLI\'s bytes, and pkg display\'s text', async () => {
    const args = ['pkg', 'generate', '--hw-version', '52', '--sd-req', '0xCA', '--softdevice', 'sd_s1x0.hex', '--bootloader', 'bl_nrf52.hex', '--bootloader-version', '2', '--key-file', 'key_a.pem'];
    const expected = cli(args, ['sd_s1x0.hex', 'bl_nrf52.hex', 'key_a.pem'], 'sdbl.zip');
    const page = await libraryPage();
    const result = await page.evaluate(
      async (sd, bl, pem) => {
        const core = (window as unknown as { core: typeof import('../src/core/index') }).core;
        const bytes = (s: string) => Uint8Array.from(atob(s), (c) => c.charCodeAt(0));
        const zip: Uint8Array = await core.createPackage({
          hwVersion: 52,
          sdReq: [0xca],
          softdevice: { name: 'sd_s1x0.hex', data: bytes(sd) },
          bootloader: { name: 'bl_nrf52.hex', data: bytes(bl) },
          bootloaderVersion: 2,
          key: core.pemKey(pem),
        });
        let binary = '';
        for (const byte of zip) binary += String.fromCharCode(byte);
        return { zip: btoa(binary), display: await core.displayPackage(zip, 'sdbl.zip') };
      },
      b64(input('sd_s1x0.hex')),
      b64(input('bl_nrf52.hex')),
      fs.readFileSync(input('key_a.pem'), 'utf8'),
    );
    expect(Buffer.from(result.zip, 'base64').equals(expected.bytes)).toBe(true);
    expect(result.display).toBe(runCli(['pkg', 'display', 'sdbl.zip'], { cwd: expected.dir }).stdout);
    await page.close();
  });
});

test('the README\'s browser example signs with a WebCrypto key and verifies', async () => {
  const page = await servedPage(readmeExample('library-example.html'));
  await page.waitForFunction(() => document.getElementById('result')?.textContent !== 'working…', { timeout: 20_000 });
  expect(await page.$eval('#result', (e) => e.textContent)).toMatch(/^accepted \(\d+ bytes\)$/);
  expect(await page.$eval('a[download]', (e) => e.getAttribute('download'))).toBe('app_dfu.zip');
  await page.close();
});

describe('the web/ package inspector', () => {
  /** The average colour of a screenshot's top-left corner (the verdict box's background). */
  async function cornerColour(page: Page, png: Uint8Array): Promise<[number, number, number]> {
    return page.evaluate(async (b64png) => {
      const bytes = Uint8Array.from(atob(b64png), (c) => c.charCodeAt(0));
      const bitmap = await createImageBitmap(new Blob([bytes], { type: 'image/png' }));
      const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
      const ctx = canvas.getContext('2d')!;
      ctx.drawImage(bitmap, 0, 0);
      const { data } = ctx.getImageData(4, 4, 8, 8);
      const sum = [0, 0, 0];
      for (let i = 0; i < data.length; i += 4) for (let c = 0; c < 3; c++) sum[c] += data[i + c];
      return sum.map((s) => s / (data.length / 4)) as [number, number, number];
    }, Buffer.from(png).toString('base64'));
  }

  async function inspect(zipPath: string, keyPath: string, shot: string) {
    const page = await browser.newPage();
    const requests: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    await page.setViewport({ width: 1000, height: 900 });
    await page.goto(`file://${path.join(ROOT, 'web', 'index.html')}`);
    await ((await page.$('input#key-input')) as ElementHandle<HTMLInputElement>).uploadFile(keyPath);
    await ((await page.$('input#zip-input')) as ElementHandle<HTMLInputElement>).uploadFile(zipPath);
    await page.waitForSelector('#verdict.accepted, #verdict.rejected', { timeout: 10_000 });
    const verdict = await page.$eval('#verdict', (e) => ({ className: e.className, text: (e as HTMLElement).innerText }));
    const display = await page.$eval('#display-text', (e) => e.textContent);
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: path.join(SCREENSHOTS, `${shot}-page.png`), fullPage: true });
    const box = await (await page.$('#verdict'))!.screenshot({ path: path.join(SCREENSHOTS, `${shot}.png`) });
    const colour = await cornerColour(page, box);
    await page.close();
    return { verdict, display, colour, requests: requests.filter((u) => !u.startsWith('file://')) };
  }

  const signed = () => cli(['pkg', 'generate', '--hw-version', '52', '--sd-req', '0xCA', '--application-version', '1', '--application', 'app_nrf52.hex', '--key-file', 'key_a.pem'], ['app_nrf52.hex', 'key_a.pem'], 'app.zip');

  test('right key: accepted, check by check, with pkg display\'s text (screenshot is green)', async () => {
    const { dir } = signed();
    fs.writeFileSync(path.join(dir, 'public.pem'), runCli(['keys', 'display', '--key', 'pk', '--format', 'pem', 'key_a.pem'], { cwd: dir }).stdout);
    const seen = await inspect(path.join(dir, 'app.zip'), path.join(dir, 'public.pem'), 'accepted');
    expect(seen.verdict.className).toBe('accepted');
    expect(seen.verdict.text).toContain('The bootloader would accept this package.');
    expect(seen.verdict.text).toContain('Signature: signed with this key');
    expect(seen.display).toBe(runCli(['pkg', 'display', 'app.zip'], { cwd: dir }).stdout);
    const [r, g, b] = seen.colour;
    expect(g).toBeGreaterThan(r + 10);
    expect(g).toBeGreaterThan(b);
    expect(seen.requests).toEqual([]);
  });

  test('a file that is not a zip, and a key that is not a key: one plain message each', async () => {
    const { dir } = signed();
    const page = await browser.newPage();
    await page.goto(`file://${path.join(ROOT, 'web', 'index.html')}`);
    await ((await page.$('input#zip-input')) as ElementHandle<HTMLInputElement>).uploadFile(path.join(dir, 'app_nrf52.hex'));
    await page.waitForSelector('#error:not([hidden])');
    expect(await page.$eval('#error', (e) => e.textContent)).toMatch(/^app_nrf52\.hex: not a readable zip file/);

    await ((await page.$('input#zip-input')) as ElementHandle<HTMLInputElement>).uploadFile(path.join(dir, 'app.zip'));
    await page.type('#key-text', 'not a key');
    await page.waitForFunction(() => /neither PEM text nor/.test(document.getElementById('error')?.textContent ?? ''));
    expect(await page.$eval('#verdict', (e) => e.className)).toBe('unverified');
    expect(await page.$eval('#display', (e) => (e as HTMLElement).hidden)).toBe(false);
    await page.close();
  });

  test('a neighbour\'s key (as keys display hex): rejected, the reason in words (screenshot is red)', async () => {
    const { dir } = signed();
    const neighbour = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey.export({ type: 'sec1', format: 'pem' }).toString();
    fs.writeFileSync(path.join(dir, 'neighbour.pem'), neighbour);
    fs.writeFileSync(path.join(dir, 'neighbour.txt'), runCli(['keys', 'display', '--key', 'pk', '--format', 'hex', 'neighbour.pem'], { cwd: dir }).stdout);
    const seen = await inspect(path.join(dir, 'app.zip'), path.join(dir, 'neighbour.txt'), 'rejected');
    expect(seen.verdict.className).toBe('rejected');
    expect(seen.verdict.text).toContain('The bootloader would reject this package.');
    expect(seen.verdict.text).toContain('Signature: signed with a different key: a bootloader holding this public key rejects it');
    const [r, g, b] = seen.colour;
    expect(r).toBeGreaterThan(g + 10);
    expect(r).toBeGreaterThan(b + 10);
    expect(seen.requests).toEqual([]);
  });
});
