import DfuSerial from './serial';

export default class DfuUsbSerial extends DfuSerial {
  static override summary = 'Update the firmware on a device over a USB serial connection (USB CDC ACM, e.g. nRF52840), as nrfutil 6.1.7 does.';
  static override description =
    'As dfu serial, without the PING after opening the port (nrfutil does not ping a USB bootloader).';
  static override aliases = ['nrf5sdk-tools:dfu:usb-serial'];
  static override examples = ['<%= config.bin %> dfu usb-serial -pkg app_dfu.zip -p /dev/ttyACM0'];
  protected static override ping = false;
}
