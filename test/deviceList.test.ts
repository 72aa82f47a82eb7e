import { parseDeviceList } from '../src/core/deviceList';

describe('device lists', () => {
  test('one id per line with blank lines, comments, CRLF and duplicates', () => {
    const list = parseDeviceList('# fleet A\r\ndev-1\r\n\r\n  dev-2  \n# retired: dev-9\ndev-1\ndev-3\ndev-2\n', 'devices.txt');
    expect(list).toEqual({ devices: ['dev-1', 'dev-2', 'dev-3'], duplicates: ['dev-1', 'dev-2'] });
  });

  test('a CSV with an id column, quotes and extra columns', () => {
    const list = parseDeviceList('serial,"id",site\r\n100,dev-a,"Oslo, NO"\n101,dev-b,Trondheim\n', 'devices.csv');
    expect(list.devices).toEqual(['dev-a', 'dev-b']);
  });

  test.each([
    ['serial,site\n1,Oslo\n', /needs an "id" column/],
    ['# nothing\n\n', /lists no devices/],
    ['dev-1\n../etc/passwd\n', /Invalid device id '..\/etc\/passwd' in list.txt line 2/],
  ])('%j is refused', (text, message) => {
    expect(() => parseDeviceList(text, 'list.txt')).toThrow(message);
  });
});
