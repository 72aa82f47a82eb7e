import * as Args from '@oclif/core/args';
import * as Flags from '@oclif/core/flags';
import fs from 'node:fs';
import { NrfCommand } from '../../cli/baseCommand';
import { factoryFor } from '../../plugins/registry';
import { intFlag } from '../../cli/intFlag';
import { keyFlags, keyReference, openSigningKey } from '../../cli/keyOptions';
import { BOOT_VALIDATION_CHOICES, readFirmware } from '../../cli/pkgGenerateOptions';
import { settingsNeedKey, settingsPageSegments, validateAfterKey, validateBeforeKey } from '../../cli/settingsGenerateOptions';
import { DEBUG_KEY_BANNER } from '../../cli/banners';
import { isNrf5DebugKey } from '../../core/keyEncoding';
import { writeFileAtomic } from '../../node/atomicFile';
import { UsageError } from '../../core/errors';
import { writeIntelHex } from '../../core/intelHex';
import { readSettingsFields, settingsDisplayText } from '../../core/settingsDisplay';
import { SETTINGS_FAMILIES } from '../../core/settingsPage';
import type { SigningKeyProvider } from '../../plugins/keyProvider';


export default class SettingsGenerate extends NrfCommand {
  static override summary = 'Generate a .hex file with the bootloader DFU settings page.';
  static override aliases = ['nrf5sdk-tools:settings:generate'];
  static override examples = [
    '<%= config.bin %> settings generate --family NRF52 --application app.hex --application-version 1 --bootloader-version 1 --bl-settings-version 2 settings.hex',
    '<%= config.bin %> settings generate --family NRF52840 --application app.hex --application-version 1 --bootloader-version 1 --bl-settings-version 2 --backup-address 0xFD000 settings.hex',
  ];
  static override args = {
    hex_file: Args.string({ description: 'The Intel HEX file to write', required: true }),
  };
  static override flags = {
    family: Flags.string({ description: 'The device family', options: [...SETTINGS_FAMILIES], required: true }),
    application: Flags.string({ description: 'The application firmware file (.hex or .bin)' }),
    'application-version': intFlag('The application version'),
    'application-version-string': Flags.string({ description: 'The application version as x.y.z (x*10000 + y*100 + z)' }),
    'bootloader-version': intFlag('The bootloader version', true),
    'bl-settings-version': intFlag('The settings page layout: 1 (SDK 12.0-15.2) or 2 (SDK 15.3 and newer)', true),
    'start-address': intFlag('Address of the settings page (default: the family\'s)'),
    'no-backup': Flags.boolean({ description: 'Do not write the backup copy of the settings page' }),
    'backup-address': intFlag('Address of the backup page (default: the settings page address minus 0x1000)'),
    'app-boot-validation': Flags.string({ description: 'Boot validation of the application', options: [...BOOT_VALIDATION_CHOICES] }),
    'sd-boot-validation': Flags.string({ description: 'Boot validation of the SoftDevice', options: [...BOOT_VALIDATION_CHOICES] }),
    softdevice: Flags.string({ description: 'The SoftDevice firmware file' }),
    ...keyFlags,
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(SettingsGenerate);
    const ref = keyReference(flags);
    // click checks these paths (exists=True) before nrfutil's own checks run
    const keyIsFile = ref?.keyFile !== undefined && factoryFor(ref).keyFile !== undefined;
    for (const [option, file] of [['--softdevice', flags.softdevice], ['--key-file', keyIsFile ? flags['key-file'] : undefined]] as const)
      if (file !== undefined && !fs.existsSync(file)) throw new UsageError(`Invalid value for '${option}': File '${file}' does not exist.`);
    validateBeforeKey(flags, ref !== undefined, (text) => this.print(text));
    let key: SigningKeyProvider | undefined;
    try {
      // nrfutil loads the key only for ECDSA boot validation, and warns about the SDK's debug key
      if (settingsNeedKey(flags) && ref) {
        key = await openSigningKey(ref);
        if (isNrf5DebugKey(await key.publicKey())) this.print(DEBUG_KEY_BANNER);
      }
      const options = validateAfterKey(flags);
      const application = flags.application ? readFirmware(flags.application, '--application').image : undefined;
      const softdevice = flags.softdevice ? readFirmware(flags.softdevice, '--softdevice').image : undefined;
      const segments = await settingsPageSegments(options, { application, softdevice }, key && ((m) => key!.sign(m)));
      writeFileAtomic(args.hex_file, writeIntelHex(segments));
      this.print(`\nGenerated Bootloader DFU settings .hex file and stored it in: ${args.hex_file}\n`);
      this.print(settingsDisplayText(args.hex_file, options.family, options.address, readSettingsFields(segments, options.address, { v1SoftDeviceSize: true })));
    } finally {
      await key?.close?.();
    }
  }
}
