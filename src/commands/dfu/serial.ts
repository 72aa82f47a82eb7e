import { NrfCommand } from '../../cli/baseCommand';
import { dfuSerialFlags, expandNrfutilOptions, parseBool } from '../../cli/dfuOptions';
import { serialUpdate } from '../../dfu/serialUpdate';

export default class DfuSerial extends NrfCommand {
  static override summary = 'Update the firmware on a device over a UART serial connection, as nrfutil 6.1.7 does.';
  static override description =
    'Sends every image of a DFU package to the nRF5 SDK secure serial bootloader (SD+BL, SD, BL, then application), frame for frame as nrfutil. Pings the bootloader after opening the port. Checks the package first as the bootloader would (no key needed) and refuses one it would reject, unless --force.';
  static override aliases = ['nrf5sdk-tools:dfu:serial'];
  static override examples = [
    '<%= config.bin %> dfu serial -pkg app_dfu.zip -p /dev/ttyACM0',
    '<%= config.bin %> dfu serial -pkg app_dfu.zip -p COM3 -b 115200 -fc 0 -prn 8',
  ];
  static override flags = dfuSerialFlags;
  /** `dfu serial` pings; `dfu usb-serial` does not (nrfutil's do_ping). */
  protected static ping = true;

  async run(): Promise<void> {
    const ctor = this.constructor as typeof DfuSerial;
    const { flags } = await this.parse(ctor, expandNrfutilOptions(this.argv));
    await serialUpdate({
      packagePath: flags.package,
      port: flags.port,
      serialNumber: flags['serial-number'],
      baudRate: flags['baud-rate'],
      flowControl: parseBool(flags['flow-control']),
      prn: flags['packet-receipt-notification'],
      connectDelaySeconds: flags['connect-delay'],
      timeoutSeconds: flags.timeout,
      ping: ctor.ping,
      force: flags.force,
      out: process.stdout,
    });
  }
}
