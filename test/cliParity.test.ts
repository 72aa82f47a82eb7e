// The command line as nrfutil's (click) behaves, and the CLI without the PKCS#11
// add-on (issue 10).
import fs from 'node:fs';
import path from 'node:path';
import { closeMatches, noSuchCommandMessage } from '../src/cli/suggestions';
import { runCli, tempDirWith } from './helpers/cli';

describe('click-style usage errors', () => {
  test('a missing required option is named: exit 2', () => {
    const dir = tempDirWith('key_a.pem');
    expect(runCli(['keys', 'display', '--format', 'code', 'key_a.pem'], { cwd: dir })).toMatchObject({ status: 2, stderr: "Error: Missing option '--key'.\n" });
    expect(runCli(['keys', 'display', '--key', 'pk', 'key_a.pem'], { cwd: dir })).toMatchObject({ status: 2, stderr: "Error: Missing option '--format'.\n" });
  });

  test('a missing argument is named as click names it: exit 2', () => {
    expect(runCli(['pkg', 'display'], { cwd: tempDirWith() })).toMatchObject({ status: 2, stderr: "Error: Missing argument 'ZIP_FILE'.\n" });
    expect(runCli(['settings', 'display'], { cwd: tempDirWith() })).toMatchObject({ status: 2, stderr: "Error: Missing argument 'HEX_FILE'.\n" });
  });

  test('an unknown option suggests the closest spellings, as click does', () => {
    const res = runCli(['pkg', 'generate', '--aplication', 'app.hex', 'x.zip'], { cwd: tempDirWith() });
    expect(res.status).toBe(2);
    expect(res.stderr).toMatch(/^Error: No such option: --aplication \(Possible options: .*--application[,)]/);
    expect(runCli(['settings', 'generate', '--familly', 'NRF52', 'x.hex'], { cwd: tempDirWith() }).stderr).toBe('Error: No such option: --familly Did you mean --family?\n');
  });

  test('an unknown command suggests the closest spelling', () => {
    expect(runCli(['pkg', 'generat', 'x.zip'], { cwd: tempDirWith() })).toMatchObject({ status: 2, stderr: "Error: No such command 'generat'. Did you mean 'generate'?\n" });
    expect(runCli(['setings', 'display', 'x.hex'], { cwd: tempDirWith() })).toMatchObject({ status: 2, stderr: "Error: No such command 'setings'. Did you mean 'settings'?\n" });
    expect(noSuchCommandMessage(['keys', 'zzz'], ['keys:generate', 'keys:display'])).toBe("No such command 'zzz'.");
  });

  // test/fixtures/parity/close-matches.json: [word, difflib.get_close_matches(word, options)] from CPython 3.11
  test('close matches are difflib.get_close_matches', () => {
    const options = ['--application', '--application-version', '--application-version-string', '--bootloader', '--bootloader-version', '--hw-version', '--sd-req', '--sd-id', '--softdevice', '--key-file', '--help', '--debug-mode', '--external-app', '--sd-boot-validation', '--app-boot-validation'];
    const recorded: [string, string[]][] = require('./fixtures/parity/close-matches.json');
    for (const [word, expected] of recorded) expect([word, closeMatches(word, options)]).toEqual([word, expected]);
  });
});

describe('global options -v and -o, as nrfutil', () => {
  test('-o FILE creates FILE even when nothing is logged; -vv logs INFO records to stderr and FILE', () => {
    const dir = tempDirWith();
    expect(runCli(['-o', 'quiet.log', 'version'], { cwd: dir }).status).toBe(0);
    expect(fs.readFileSync(path.join(dir, 'quiet.log'), 'utf8')).toBe('');
    const res = runCli(['-v', '-v', '-o', 'run.log', 'version'], { cwd: dir });
    expect(res.stderr).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} PyPi URL: https:\/\/pypi\.python\.org\/pypi\/nrfutil\n$/);
    expect(fs.readFileSync(path.join(dir, 'run.log'), 'utf8')).toBe(res.stderr);
    expect(runCli(['-v', 'version'], { cwd: dir }).stderr).toBe(''); // -v is WARNING
  });

  test('--help lists them', () => {
    const help = runCli(['--help']).stdout;
    expect(help).toContain('-v, --verbose');
    expect(help).toContain('-o, --output <filename>');
  });
});

describe('without the pkcs11js native add-on (npm install --ignore-scripts)', () => {
  const env = { NODE_OPTIONS: `--require ${path.join(__dirname, 'helpers', 'withoutPkcs11js.js')}` };

  test('every non-HSM command works', () => {
    const dir = tempDirWith('app_nrf52.hex', 'key_a.pem');
    expect(runCli(['pkg', 'generate', '--hw-version', '52', '--sd-req', '0', '--application', 'app_nrf52.hex', '--application-version', '1', '--key-file', 'key_a.pem', 'o.zip'], { cwd: dir, env }).status).toBe(0);
    expect(runCli(['pkg', 'verify', 'o.zip', '--key-file', 'key_a.pem'], { cwd: dir, env }).status).toBe(0);
    expect(runCli(['keys', 'display', '--key', 'pk', '--format', 'hex', 'key_a.pem'], { cwd: dir, env }).status).toBe(0);
    expect(runCli(['settings', 'generate', '--family', 'NRF52', '--bootloader-version', '1', '--bl-settings-version', '2', 's.hex'], { cwd: dir, env }).status).toBe(0);
  });

  test('a PKCS#11 key says what is missing: one line, exit 1', () => {
    const res = runCli(['keys', 'display', '--key', 'pk', '--format', 'hex', 'pkcs11:token=t;object=k'], { cwd: tempDirWith(), env });
    expect(res.status).toBe(1);
    expect(res.stderr).toMatch(/^Error: PKCS#11 keys need the pkcs11js native add-on, which cannot be loaded here \(Cannot find module 'pkcs11js'\); reinstall without --ignore-scripts/);
    expect(res.stderr.trim().split('\n')).toHaveLength(1);
  });
});
