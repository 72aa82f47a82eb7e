import path from 'node:path';
import protobuf from 'protobufjs';
import { dfu } from '../src/core/generated/dfuCc';

// The static code in src/core/generated comes from proto/dfu-cc.proto (`npm run proto`):
// it must encode exactly what the .proto itself describes.
describe('generated init-packet code', () => {
  const root = protobuf.loadSync(path.join(__dirname, '..', 'proto', 'dfu-cc.proto'));
  const init = {
    fwVersion: 7, hwVersion: 52, sdReq: [0xca, 0x101], type: 4, sdSize: 0, blSize: 1, appSize: 204800,
    hash: { hashType: 3, hash: new Uint8Array(32).fill(9) }, isDebug: false,
    bootValidation: [{ type: 3, bytes: new Uint8Array(64).fill(1) }, { type: 1, bytes: new Uint8Array() }],
  };
  const packet = { signedCommand: { command: { opCode: 1, init }, signatureType: 0, signature: new Uint8Array(64).fill(2) } };

  test('is the .proto: same bytes for a signed packet and an init command', () => {
    const Packet = root.lookupType('dfu.Packet');
    const Init = root.lookupType('dfu.InitCommand');
    expect(Buffer.from(dfu.Packet.encode(dfu.Packet.fromObject(packet)).finish())).toEqual(Buffer.from(Packet.encode(Packet.fromObject(packet)).finish()));
    expect(Buffer.from(dfu.InitCommand.encode(dfu.InitCommand.fromObject(init)).finish())).toEqual(Buffer.from(Init.encode(Init.fromObject(init)).finish()));
  });

  test('has every message and enum of the .proto', () => {
    const names = (ns: protobuf.Namespace) => Object.keys(ns.nested ?? {}).sort();
    expect(Object.keys(dfu).sort()).toEqual(names(root.lookup('dfu') as protobuf.Namespace));
  });
});
