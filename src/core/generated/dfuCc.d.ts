import * as $protobuf from "protobufjs";
import Long = require("long");
export namespace dfu {

    enum OpCode {
        RESET = 0,
        INIT = 1
    }

    enum FwType {
        APPLICATION = 0,
        SOFTDEVICE = 1,
        BOOTLOADER = 2,
        SOFTDEVICE_BOOTLOADER = 3,
        EXTERNAL_APPLICATION = 4
    }

    enum HashType {
        NO_HASH = 0,
        CRC = 1,
        SHA128 = 2,
        SHA256 = 3,
        SHA512 = 4
    }

    enum ValidationType {
        NO_VALIDATION = 0,
        VALIDATE_GENERATED_CRC = 1,
        VALIDATE_SHA256 = 2,
        VALIDATE_ECDSA_P256_SHA256 = 3
    }

    enum SignatureType {
        ECDSA_P256_SHA256 = 0,
        ED25519 = 1
    }

    interface IHash {
        hashType: dfu.HashType;
        hash: Uint8Array;
    }

    class Hash implements IHash {
        constructor(properties?: dfu.IHash);
        public hashType: dfu.HashType;
        public hash: Uint8Array;
        public static encode(message: dfu.IHash, writer?: $protobuf.Writer): $protobuf.Writer;
        public static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): dfu.Hash;
        public static fromObject(object: { [k: string]: any }): dfu.Hash;
        public static toObject(message: dfu.Hash, options?: $protobuf.IConversionOptions): { [k: string]: any };
        public toJSON(): { [k: string]: any };
    }

    interface IBootValidation {
        type: dfu.ValidationType;
        bytes: Uint8Array;
    }

    class BootValidation implements IBootValidation {
        constructor(properties?: dfu.IBootValidation);
        public type: dfu.ValidationType;
        public bytes: Uint8Array;
        public static encode(message: dfu.IBootValidation, writer?: $protobuf.Writer): $protobuf.Writer;
        public static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): dfu.BootValidation;
        public static fromObject(object: { [k: string]: any }): dfu.BootValidation;
        public static toObject(message: dfu.BootValidation, options?: $protobuf.IConversionOptions): { [k: string]: any };
        public toJSON(): { [k: string]: any };
    }

    interface IInitCommand {
        fwVersion?: (number|null);
        hwVersion?: (number|null);
        sdReq?: (number[]|null);
        type?: (dfu.FwType|null);
        sdSize?: (number|null);
        blSize?: (number|null);
        appSize?: (number|null);
        hash?: (dfu.IHash|null);
        isDebug?: (boolean|null);
        bootValidation?: (dfu.IBootValidation[]|null);
    }

    class InitCommand implements IInitCommand {
        constructor(properties?: dfu.IInitCommand);
        public fwVersion: number;
        public hwVersion: number;
        public sdReq: number[];
        public type: dfu.FwType;
        public sdSize: number;
        public blSize: number;
        public appSize: number;
        public hash?: (dfu.IHash|null);
        public isDebug: boolean;
        public bootValidation: dfu.IBootValidation[];
        public static encode(message: dfu.IInitCommand, writer?: $protobuf.Writer): $protobuf.Writer;
        public static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): dfu.InitCommand;
        public static fromObject(object: { [k: string]: any }): dfu.InitCommand;
        public static toObject(message: dfu.InitCommand, options?: $protobuf.IConversionOptions): { [k: string]: any };
        public toJSON(): { [k: string]: any };
    }

    interface IResetCommand {
        timeout: number;
    }

    class ResetCommand implements IResetCommand {
        constructor(properties?: dfu.IResetCommand);
        public timeout: number;
        public static encode(message: dfu.IResetCommand, writer?: $protobuf.Writer): $protobuf.Writer;
        public static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): dfu.ResetCommand;
        public static fromObject(object: { [k: string]: any }): dfu.ResetCommand;
        public static toObject(message: dfu.ResetCommand, options?: $protobuf.IConversionOptions): { [k: string]: any };
        public toJSON(): { [k: string]: any };
    }

    interface ICommand {
        opCode?: (dfu.OpCode|null);
        init?: (dfu.IInitCommand|null);
        reset?: (dfu.IResetCommand|null);
    }

    class Command implements ICommand {
        constructor(properties?: dfu.ICommand);
        public opCode: dfu.OpCode;
        public init?: (dfu.IInitCommand|null);
        public reset?: (dfu.IResetCommand|null);
        public static encode(message: dfu.ICommand, writer?: $protobuf.Writer): $protobuf.Writer;
        public static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): dfu.Command;
        public static fromObject(object: { [k: string]: any }): dfu.Command;
        public static toObject(message: dfu.Command, options?: $protobuf.IConversionOptions): { [k: string]: any };
        public toJSON(): { [k: string]: any };
    }

    interface ISignedCommand {
        command: dfu.ICommand;
        signatureType: dfu.SignatureType;
        signature: Uint8Array;
    }

    class SignedCommand implements ISignedCommand {
        constructor(properties?: dfu.ISignedCommand);
        public command: dfu.ICommand;
        public signatureType: dfu.SignatureType;
        public signature: Uint8Array;
        public static encode(message: dfu.ISignedCommand, writer?: $protobuf.Writer): $protobuf.Writer;
        public static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): dfu.SignedCommand;
        public static fromObject(object: { [k: string]: any }): dfu.SignedCommand;
        public static toObject(message: dfu.SignedCommand, options?: $protobuf.IConversionOptions): { [k: string]: any };
        public toJSON(): { [k: string]: any };
    }

    interface IPacket {
        command?: (dfu.ICommand|null);
        signedCommand?: (dfu.ISignedCommand|null);
    }

    class Packet implements IPacket {
        constructor(properties?: dfu.IPacket);
        public command?: (dfu.ICommand|null);
        public signedCommand?: (dfu.ISignedCommand|null);
        public static encode(message: dfu.IPacket, writer?: $protobuf.Writer): $protobuf.Writer;
        public static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): dfu.Packet;
        public static fromObject(object: { [k: string]: any }): dfu.Packet;
        public static toObject(message: dfu.Packet, options?: $protobuf.IConversionOptions): { [k: string]: any };
        public toJSON(): { [k: string]: any };
    }
}
