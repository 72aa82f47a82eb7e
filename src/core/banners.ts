/** nrfutil's warning banners, printed on stdout exactly as it prints them. */
const BANNER_TOP = `
|===============================================================|
|##      ##    ###    ########  ##    ## #### ##    ##  ######  |
|##  ##  ##   ## ##   ##     ## ###   ##  ##  ###   ## ##    ## |
|##  ##  ##  ##   ##  ##     ## ####  ##  ##  ####  ## ##       |
|##  ##  ## ##     ## ########  ## ## ##  ##  ## ## ## ##   ####|
|##  ##  ## ######### ##   ##   ##  ####  ##  ##  #### ##    ## |
|##  ##  ## ##     ## ##    ##  ##   ###  ##  ##   ### ##    ## |
| ###  ###  ##     ## ##     ## ##    ## #### ##    ##  ######  |
|===============================================================|
`;
const BANNER_BOTTOM = '|===============================================================|\n\n';

function banner(lines: string[]): string {
  return BANNER_TOP + lines.map((l) => `|${l}|\n`).join('') + BANNER_BOTTOM;
}

export const DEBUG_KEY_BANNER = banner([
  'The security key you provided is insecure, as it part of a     ',
  'known set of keys that have been widely distributed. Do NOT use',
  'it in your final product or your DFU procedure may be          ',
  'compromised and at risk of malicious attacks.                  ',
]);

export const DEBUG_MODE_BANNER = banner([
  'You are generating a package with the debug bit enabled in the ',
  'init packet. This is only compatible with a debug bootloader   ',
  'and is not suitable for production.                            ',
]);

export const UNSIGNED_BANNER = banner([
  'You are not providing a signature key, which means the DFU     ',
  'files will not be signed, and are vulnerable to tampering.     ',
  'This is only compatible with a signature-less bootloader and is',
  'not suitable for production environments.                      ',
]);
