import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { cosmiconfig, getDefaultSearchPlaces } from 'cosmiconfig';
import { configFileNames, configMayExist as mayExistIn } from '../src/configCandidates';
import { configSearchDirs } from '../src/configSearch';

const configMayExist = (cwd: string) => mayExistIn(configSearchDirs(cwd));

/** Builds a directory tree from { 'relative/path': contents } (a trailing '/' makes a directory). */
function tree(files: Record<string, string>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'nrfutil-cfg-'));
  for (const [rel, text] of Object.entries(files)) {
    const full = path.join(root, rel);
    if (rel.endsWith('/')) fs.mkdirSync(full, { recursive: true });
    else {
      fs.mkdirSync(path.dirname(full), { recursive: true });
      fs.writeFileSync(full, text);
    }
  }
  return root;
}

const found = async (cwd: string) => {
  const r = await cosmiconfig('nrfutil', { searchStrategy: 'project' }).search(cwd);
  return r !== null && !r.isEmpty;
};

describe('the cheap check before loading cosmiconfig', () => {
  const layouts: [string, Record<string, string>, string, boolean][] = [
    ['no config in a project', { 'package.json': '{"name":"fw"}', 'src/': '' }, 'src', false],
    ['.nrfutilrc.json', { 'package.json': '{"name":"fw"}', '.nrfutilrc.json': '{"keyDir":"k"}' }, '.', true],
    ['.nrfutilrc (yaml, no extension) from a subdirectory', { 'package.json': '{}', '.nrfutilrc': 'keyDir: k', 'a/b/': '' }, 'a/b', true],
    ['nrfutil.config.cjs', { 'package.json': '{}', 'nrfutil.config.cjs': 'module.exports = {keyDir: "k"}' }, '.', true],
    ['.config/nrfutilrc.yml', { 'package.json': '{}', '.config/nrfutilrc.yml': 'keyDir: k' }, '.', true],
    ['an unrelated .config directory', { 'package.json': '{}', '.config/other.json': '{}', 'x/': '' }, 'x', false],
    ['the nrfutil key in package.json', { 'package.json': '{"name":"fw","nrfutil":{"keyDir":"k"}}', 's/': '' }, 's', true],
    ['a config above the project root is not searched', { '.nrfutilrc.json': '{"keyDir":"k"}', 'proj/package.json': '{}' }, 'proj', false],
  ];
  test.each(layouts)('%s', async (_name, files, from, expected) => {
    const cwd = path.join(tree(files), from);
    expect(await found(cwd)).toBe(expected);
    expect(configMayExist(cwd)).toBe(expected);
  });

  test("knows every place cosmiconfig searches (update configFileNames when cosmiconfig adds one)", () => {
    expect([...configFileNames('nrfutil'), 'package.json'].sort()).toEqual([...getDefaultSearchPlaces('nrfutil')].sort());
  });

  test('errs towards "maybe": a broken package.json and a cosmiconfig meta key go to cosmiconfig', () => {
    expect(configMayExist(tree({ 'package.json': '{broken' }))).toBe(true);
    expect(configMayExist(tree({ 'package.json': '{"cosmiconfig":{"searchPlaces":["x.json"]}}' }))).toBe(true);
    expect(configMayExist(tree({ 'package.yaml': 'name: fw' }))).toBe(true);
    expect(configMayExist(tree({ 'package.json': '{}', '.config/config.json': '{"searchPlaces":["x.json"]}' }))).toBe(true);
  });
});
