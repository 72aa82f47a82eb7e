import path from 'node:path';
import protobuf from 'protobufjs';
import { DFU_CC_SCHEMA } from '../src/core/dfuCcSchema';

test('the embedded init-packet schema is proto/dfu-cc.proto (regenerate: node scripts/embedSchema.js)', () => {
  const fromProto = protobuf.loadSync(path.join(__dirname, '..', 'proto', 'dfu-cc.proto')).toJSON();
  expect(JSON.parse(JSON.stringify(DFU_CC_SCHEMA))).toEqual(JSON.parse(JSON.stringify(fromProto)));
});
