/*eslint-disable block-scoped-var, id-length, no-control-regex, no-magic-numbers, no-prototype-builtins, no-redeclare, no-shadow, no-var, sort-vars*/
"use strict";

var $protobuf = require("protobufjs/minimal");

var $Reader = $protobuf.Reader, $Writer = $protobuf.Writer, $util = $protobuf.util;

var $root = $protobuf.roots["default"] || ($protobuf.roots["default"] = {});

$root.dfu = (function() {

    var dfu = {};

    dfu.OpCode = (function() {
        var valuesById = {}, values = Object.create(valuesById);
        values[valuesById[0] = "RESET"] = 0;
        values[valuesById[1] = "INIT"] = 1;
        return values;
    })();

    dfu.FwType = (function() {
        var valuesById = {}, values = Object.create(valuesById);
        values[valuesById[0] = "APPLICATION"] = 0;
        values[valuesById[1] = "SOFTDEVICE"] = 1;
        values[valuesById[2] = "BOOTLOADER"] = 2;
        values[valuesById[3] = "SOFTDEVICE_BOOTLOADER"] = 3;
        values[valuesById[4] = "EXTERNAL_APPLICATION"] = 4;
        return values;
    })();

    dfu.HashType = (function() {
        var valuesById = {}, values = Object.create(valuesById);
        values[valuesById[0] = "NO_HASH"] = 0;
        values[valuesById[1] = "CRC"] = 1;
        values[valuesById[2] = "SHA128"] = 2;
        values[valuesById[3] = "SHA256"] = 3;
        values[valuesById[4] = "SHA512"] = 4;
        return values;
    })();

    dfu.ValidationType = (function() {
        var valuesById = {}, values = Object.create(valuesById);
        values[valuesById[0] = "NO_VALIDATION"] = 0;
        values[valuesById[1] = "VALIDATE_GENERATED_CRC"] = 1;
        values[valuesById[2] = "VALIDATE_SHA256"] = 2;
        values[valuesById[3] = "VALIDATE_ECDSA_P256_SHA256"] = 3;
        return values;
    })();

    dfu.SignatureType = (function() {
        var valuesById = {}, values = Object.create(valuesById);
        values[valuesById[0] = "ECDSA_P256_SHA256"] = 0;
        values[valuesById[1] = "ED25519"] = 1;
        return values;
    })();

    dfu.Hash = (function() {

        function Hash(properties) {
            if (properties)
                for (var keys = Object.keys(properties), i = 0; i < keys.length; ++i)
                    if (properties[keys[i]] != null && keys[i] !== "__proto__")
                        this[keys[i]] = properties[keys[i]];
        }

        Hash.prototype.hashType = 0;
        Hash.prototype.hash = $util.newBuffer([]);

        Hash.encode = function encode(message, writer, q) {
            if (!writer)
                writer = $Writer.create();
            if (q === undefined)
                q = 0;
            if (q > $util.recursionLimit)
                throw Error("max depth exceeded");
            writer.uint32(8).int32(message.hashType);
            writer.uint32(18).bytes(message.hash);
            return writer;
        };

        Hash.decode = function decode(reader, length, error, long) {
            if (!(reader instanceof $Reader))
                reader = $Reader.create(reader);
            if (long === undefined)
                long = 0;
            if (long > $Reader.recursionLimit)
                throw Error("maximum nesting depth exceeded");
            var end, message;
            if (length === undefined)
                end = reader.len;
            else {
                end = reader.pos + length;
                if (end > reader.len)
                    throw RangeError("index out of range");
                length = reader.len;
                reader.len = end;
            }
            message = new $root.dfu.Hash();
            while (reader.pos < end) {
                var tag = reader.uint32();
                if (tag === error)
                    break;
                switch (tag >>> 3) {
                case 1: {
                        message.hashType = reader.int32();
                        break;
                    }
                case 2: {
                        message.hash = reader.bytes();
                        break;
                    }
                default:
                    reader.skipType(tag & 7, long);
                    break;
                }
            }
            if (length !== undefined) {
                if (reader.pos !== end)
                    throw RangeError("index out of range");
                reader.len = length;
            }
            if (!Object.hasOwnProperty.call(message, "hashType"))
                throw $util.ProtocolError("missing required 'hashType'", { instance: message });
            if (!Object.hasOwnProperty.call(message, "hash"))
                throw $util.ProtocolError("missing required 'hash'", { instance: message });
            return message;
        };

        Hash.fromObject = function fromObject(object, long) {
            if (object instanceof $root.dfu.Hash)
                return object;
            if (!$util.isObject(object))
                throw TypeError(".dfu.Hash: object expected");
            if (long === undefined)
                long = 0;
            if (long > $util.recursionLimit)
                throw Error("maximum nesting depth exceeded");
            var message = new $root.dfu.Hash();
            switch (object.hashType) {
            default:
                if (typeof object.hashType === "number") {
                    message.hashType = object.hashType;
                    break;
                }
                break;
            case "NO_HASH":
            case 0:
                message.hashType = 0;
                break;
            case "CRC":
            case 1:
                message.hashType = 1;
                break;
            case "SHA128":
            case 2:
                message.hashType = 2;
                break;
            case "SHA256":
            case 3:
                message.hashType = 3;
                break;
            case "SHA512":
            case 4:
                message.hashType = 4;
                break;
            }
            if (object.hash != null)
                if (typeof object.hash === "string")
                    $util.base64.decode(object.hash, message.hash = $util.newBuffer($util.base64.length(object.hash)), 0);
                else if (object.hash.length >= 0)
                    message.hash = object.hash;
            return message;
        };

        Hash.toObject = function toObject(message, options, q) {
            if (!options)
                options = {};
            if (q === undefined)
                q = 0;
            if (q > $util.recursionLimit)
                throw Error("max depth exceeded");
            var object = {};
            if (options.defaults) {
                object.hashType = options.enums === String ? "NO_HASH" : 0;
                if (options.bytes === String)
                    object.hash = "";
                else {
                    object.hash = [];
                    if (options.bytes !== Array)
                        object.hash = $util.newBuffer(object.hash);
                }
            }
            if (message.hashType != null && Object.hasOwnProperty.call(message, "hashType"))
                object.hashType = options.enums === String ? $root.dfu.HashType[message.hashType] === undefined ? message.hashType : $root.dfu.HashType[message.hashType] : message.hashType;
            if (message.hash != null && Object.hasOwnProperty.call(message, "hash"))
                object.hash = options.bytes === String ? $util.base64.encode(message.hash, 0, message.hash.length) : options.bytes === Array ? Array.prototype.slice.call(message.hash) : message.hash;
            return object;
        };

        Hash.prototype.toJSON = function toJSON() {
            return this.constructor.toObject(this, $protobuf.util.toJSONOptions);
        };

        return Hash;
    })();

    dfu.BootValidation = (function() {

        function BootValidation(properties) {
            if (properties)
                for (var keys = Object.keys(properties), i = 0; i < keys.length; ++i)
                    if (properties[keys[i]] != null && keys[i] !== "__proto__")
                        this[keys[i]] = properties[keys[i]];
        }

        BootValidation.prototype.type = 0;
        BootValidation.prototype.bytes = $util.newBuffer([]);

        BootValidation.encode = function encode(message, writer, q) {
            if (!writer)
                writer = $Writer.create();
            if (q === undefined)
                q = 0;
            if (q > $util.recursionLimit)
                throw Error("max depth exceeded");
            writer.uint32(8).int32(message.type);
            writer.uint32(18).bytes(message.bytes);
            return writer;
        };

        BootValidation.decode = function decode(reader, length, error, long) {
            if (!(reader instanceof $Reader))
                reader = $Reader.create(reader);
            if (long === undefined)
                long = 0;
            if (long > $Reader.recursionLimit)
                throw Error("maximum nesting depth exceeded");
            var end, message;
            if (length === undefined)
                end = reader.len;
            else {
                end = reader.pos + length;
                if (end > reader.len)
                    throw RangeError("index out of range");
                length = reader.len;
                reader.len = end;
            }
            message = new $root.dfu.BootValidation();
            while (reader.pos < end) {
                var tag = reader.uint32();
                if (tag === error)
                    break;
                switch (tag >>> 3) {
                case 1: {
                        message.type = reader.int32();
                        break;
                    }
                case 2: {
                        message.bytes = reader.bytes();
                        break;
                    }
                default:
                    reader.skipType(tag & 7, long);
                    break;
                }
            }
            if (length !== undefined) {
                if (reader.pos !== end)
                    throw RangeError("index out of range");
                reader.len = length;
            }
            if (!Object.hasOwnProperty.call(message, "type"))
                throw $util.ProtocolError("missing required 'type'", { instance: message });
            if (!Object.hasOwnProperty.call(message, "bytes"))
                throw $util.ProtocolError("missing required 'bytes'", { instance: message });
            return message;
        };

        BootValidation.fromObject = function fromObject(object, long) {
            if (object instanceof $root.dfu.BootValidation)
                return object;
            if (!$util.isObject(object))
                throw TypeError(".dfu.BootValidation: object expected");
            if (long === undefined)
                long = 0;
            if (long > $util.recursionLimit)
                throw Error("maximum nesting depth exceeded");
            var message = new $root.dfu.BootValidation();
            switch (object.type) {
            default:
                if (typeof object.type === "number") {
                    message.type = object.type;
                    break;
                }
                break;
            case "NO_VALIDATION":
            case 0:
                message.type = 0;
                break;
            case "VALIDATE_GENERATED_CRC":
            case 1:
                message.type = 1;
                break;
            case "VALIDATE_SHA256":
            case 2:
                message.type = 2;
                break;
            case "VALIDATE_ECDSA_P256_SHA256":
            case 3:
                message.type = 3;
                break;
            }
            if (object.bytes != null)
                if (typeof object.bytes === "string")
                    $util.base64.decode(object.bytes, message.bytes = $util.newBuffer($util.base64.length(object.bytes)), 0);
                else if (object.bytes.length >= 0)
                    message.bytes = object.bytes;
            return message;
        };

        BootValidation.toObject = function toObject(message, options, q) {
            if (!options)
                options = {};
            if (q === undefined)
                q = 0;
            if (q > $util.recursionLimit)
                throw Error("max depth exceeded");
            var object = {};
            if (options.defaults) {
                object.type = options.enums === String ? "NO_VALIDATION" : 0;
                if (options.bytes === String)
                    object.bytes = "";
                else {
                    object.bytes = [];
                    if (options.bytes !== Array)
                        object.bytes = $util.newBuffer(object.bytes);
                }
            }
            if (message.type != null && Object.hasOwnProperty.call(message, "type"))
                object.type = options.enums === String ? $root.dfu.ValidationType[message.type] === undefined ? message.type : $root.dfu.ValidationType[message.type] : message.type;
            if (message.bytes != null && Object.hasOwnProperty.call(message, "bytes"))
                object.bytes = options.bytes === String ? $util.base64.encode(message.bytes, 0, message.bytes.length) : options.bytes === Array ? Array.prototype.slice.call(message.bytes) : message.bytes;
            return object;
        };

        BootValidation.prototype.toJSON = function toJSON() {
            return this.constructor.toObject(this, $protobuf.util.toJSONOptions);
        };

        return BootValidation;
    })();

    dfu.InitCommand = (function() {

        function InitCommand(properties) {
            this.sdReq = [];
            this.bootValidation = [];
            if (properties)
                for (var keys = Object.keys(properties), i = 0; i < keys.length; ++i)
                    if (properties[keys[i]] != null && keys[i] !== "__proto__")
                        this[keys[i]] = properties[keys[i]];
        }

        InitCommand.prototype.fwVersion = 0;
        InitCommand.prototype.hwVersion = 0;
        InitCommand.prototype.sdReq = $util.emptyArray;
        InitCommand.prototype.type = 0;
        InitCommand.prototype.sdSize = 0;
        InitCommand.prototype.blSize = 0;
        InitCommand.prototype.appSize = 0;
        InitCommand.prototype.hash = null;
        InitCommand.prototype.isDebug = false;
        InitCommand.prototype.bootValidation = $util.emptyArray;

        InitCommand.encode = function encode(message, writer, q) {
            if (!writer)
                writer = $Writer.create();
            if (q === undefined)
                q = 0;
            if (q > $util.recursionLimit)
                throw Error("max depth exceeded");
            if (message.fwVersion != null && Object.hasOwnProperty.call(message, "fwVersion"))
                writer.uint32(8).uint32(message.fwVersion);
            if (message.hwVersion != null && Object.hasOwnProperty.call(message, "hwVersion"))
                writer.uint32(16).uint32(message.hwVersion);
            if (message.sdReq != null && message.sdReq.length) {
                writer.uint32(26).fork();
                for (var i = 0; i < message.sdReq.length; ++i)
                    writer.uint32(message.sdReq[i]);
                writer.ldelim();
            }
            if (message.type != null && Object.hasOwnProperty.call(message, "type"))
                writer.uint32(32).int32(message.type);
            if (message.sdSize != null && Object.hasOwnProperty.call(message, "sdSize"))
                writer.uint32(40).uint32(message.sdSize);
            if (message.blSize != null && Object.hasOwnProperty.call(message, "blSize"))
                writer.uint32(48).uint32(message.blSize);
            if (message.appSize != null && Object.hasOwnProperty.call(message, "appSize"))
                writer.uint32(56).uint32(message.appSize);
            if (message.hash != null && Object.hasOwnProperty.call(message, "hash"))
                $root.dfu.Hash.encode(message.hash, writer.uint32(66).fork(), q + 1).ldelim();
            if (message.isDebug != null && Object.hasOwnProperty.call(message, "isDebug"))
                writer.uint32(72).bool(message.isDebug);
            if (message.bootValidation != null && message.bootValidation.length)
                for (var i = 0; i < message.bootValidation.length; ++i)
                    $root.dfu.BootValidation.encode(message.bootValidation[i], writer.uint32(82).fork(), q + 1).ldelim();
            return writer;
        };

        InitCommand.decode = function decode(reader, length, error, long) {
            if (!(reader instanceof $Reader))
                reader = $Reader.create(reader);
            if (long === undefined)
                long = 0;
            if (long > $Reader.recursionLimit)
                throw Error("maximum nesting depth exceeded");
            var end, message;
            if (length === undefined)
                end = reader.len;
            else {
                end = reader.pos + length;
                if (end > reader.len)
                    throw RangeError("index out of range");
                length = reader.len;
                reader.len = end;
            }
            message = new $root.dfu.InitCommand();
            while (reader.pos < end) {
                var tag = reader.uint32();
                if (tag === error)
                    break;
                switch (tag >>> 3) {
                case 1: {
                        message.fwVersion = reader.uint32();
                        break;
                    }
                case 2: {
                        message.hwVersion = reader.uint32();
                        break;
                    }
                case 3: {
                        if (!(message.sdReq && message.sdReq.length))
                            message.sdReq = [];
                        if ((tag & 7) === 2) {
                            var end2 = reader.uint32() + reader.pos;
                            if (end2 > reader.len)
                                throw RangeError("index out of range");
                            reader.len = end2;
                            while (reader.pos < end2)
                                message.sdReq.push(reader.uint32());
                            if (reader.pos !== end2)
                                throw RangeError("index out of range");
                            reader.len = end;
                        } else
                            message.sdReq.push(reader.uint32());
                        break;
                    }
                case 4: {
                        message.type = reader.int32();
                        break;
                    }
                case 5: {
                        message.sdSize = reader.uint32();
                        break;
                    }
                case 6: {
                        message.blSize = reader.uint32();
                        break;
                    }
                case 7: {
                        message.appSize = reader.uint32();
                        break;
                    }
                case 8: {
                        message.hash = $root.dfu.Hash.decode(reader, reader.uint32(), undefined, long + 1);
                        break;
                    }
                case 9: {
                        message.isDebug = reader.bool();
                        break;
                    }
                case 10: {
                        if (!(message.bootValidation && message.bootValidation.length))
                            message.bootValidation = [];
                        message.bootValidation.push($root.dfu.BootValidation.decode(reader, reader.uint32(), undefined, long + 1));
                        break;
                    }
                default:
                    reader.skipType(tag & 7, long);
                    break;
                }
            }
            if (length !== undefined) {
                if (reader.pos !== end)
                    throw RangeError("index out of range");
                reader.len = length;
            }
            return message;
        };

        InitCommand.fromObject = function fromObject(object, long) {
            if (object instanceof $root.dfu.InitCommand)
                return object;
            if (!$util.isObject(object))
                throw TypeError(".dfu.InitCommand: object expected");
            if (long === undefined)
                long = 0;
            if (long > $util.recursionLimit)
                throw Error("maximum nesting depth exceeded");
            var message = new $root.dfu.InitCommand();
            if (object.fwVersion != null)
                message.fwVersion = object.fwVersion >>> 0;
            if (object.hwVersion != null)
                message.hwVersion = object.hwVersion >>> 0;
            if (object.sdReq) {
                if (!Array.isArray(object.sdReq))
                    throw TypeError(".dfu.InitCommand.sdReq: array expected");
                message.sdReq = [];
                for (var i = 0; i < object.sdReq.length; ++i)
                    message.sdReq[i] = object.sdReq[i] >>> 0;
            }
            switch (object.type) {
            default:
                if (typeof object.type === "number") {
                    message.type = object.type;
                    break;
                }
                break;
            case "APPLICATION":
            case 0:
                message.type = 0;
                break;
            case "SOFTDEVICE":
            case 1:
                message.type = 1;
                break;
            case "BOOTLOADER":
            case 2:
                message.type = 2;
                break;
            case "SOFTDEVICE_BOOTLOADER":
            case 3:
                message.type = 3;
                break;
            case "EXTERNAL_APPLICATION":
            case 4:
                message.type = 4;
                break;
            }
            if (object.sdSize != null)
                message.sdSize = object.sdSize >>> 0;
            if (object.blSize != null)
                message.blSize = object.blSize >>> 0;
            if (object.appSize != null)
                message.appSize = object.appSize >>> 0;
            if (object.hash != null) {
                if (!$util.isObject(object.hash))
                    throw TypeError(".dfu.InitCommand.hash: object expected");
                message.hash = $root.dfu.Hash.fromObject(object.hash, long + 1);
            }
            if (object.isDebug != null)
                message.isDebug = Boolean(object.isDebug);
            if (object.bootValidation) {
                if (!Array.isArray(object.bootValidation))
                    throw TypeError(".dfu.InitCommand.bootValidation: array expected");
                message.bootValidation = [];
                for (var i = 0; i < object.bootValidation.length; ++i) {
                    if (!$util.isObject(object.bootValidation[i]))
                        throw TypeError(".dfu.InitCommand.bootValidation: object expected");
                    message.bootValidation[i] = $root.dfu.BootValidation.fromObject(object.bootValidation[i], long + 1);
                }
            }
            return message;
        };

        InitCommand.toObject = function toObject(message, options, q) {
            if (!options)
                options = {};
            if (q === undefined)
                q = 0;
            if (q > $util.recursionLimit)
                throw Error("max depth exceeded");
            var object = {};
            if (options.arrays || options.defaults) {
                object.sdReq = [];
                object.bootValidation = [];
            }
            if (options.defaults) {
                object.fwVersion = 0;
                object.hwVersion = 0;
                object.type = options.enums === String ? "APPLICATION" : 0;
                object.sdSize = 0;
                object.blSize = 0;
                object.appSize = 0;
                object.hash = null;
                object.isDebug = false;
            }
            if (message.fwVersion != null && Object.hasOwnProperty.call(message, "fwVersion"))
                object.fwVersion = message.fwVersion;
            if (message.hwVersion != null && Object.hasOwnProperty.call(message, "hwVersion"))
                object.hwVersion = message.hwVersion;
            if (message.sdReq && message.sdReq.length) {
                object.sdReq = [];
                for (var j = 0; j < message.sdReq.length; ++j)
                    object.sdReq[j] = message.sdReq[j];
            }
            if (message.type != null && Object.hasOwnProperty.call(message, "type"))
                object.type = options.enums === String ? $root.dfu.FwType[message.type] === undefined ? message.type : $root.dfu.FwType[message.type] : message.type;
            if (message.sdSize != null && Object.hasOwnProperty.call(message, "sdSize"))
                object.sdSize = message.sdSize;
            if (message.blSize != null && Object.hasOwnProperty.call(message, "blSize"))
                object.blSize = message.blSize;
            if (message.appSize != null && Object.hasOwnProperty.call(message, "appSize"))
                object.appSize = message.appSize;
            if (message.hash != null && Object.hasOwnProperty.call(message, "hash"))
                object.hash = $root.dfu.Hash.toObject(message.hash, options, q + 1);
            if (message.isDebug != null && Object.hasOwnProperty.call(message, "isDebug"))
                object.isDebug = message.isDebug;
            if (message.bootValidation && message.bootValidation.length) {
                object.bootValidation = [];
                for (var j = 0; j < message.bootValidation.length; ++j)
                    object.bootValidation[j] = $root.dfu.BootValidation.toObject(message.bootValidation[j], options, q + 1);
            }
            return object;
        };

        InitCommand.prototype.toJSON = function toJSON() {
            return this.constructor.toObject(this, $protobuf.util.toJSONOptions);
        };

        return InitCommand;
    })();

    dfu.ResetCommand = (function() {

        function ResetCommand(properties) {
            if (properties)
                for (var keys = Object.keys(properties), i = 0; i < keys.length; ++i)
                    if (properties[keys[i]] != null && keys[i] !== "__proto__")
                        this[keys[i]] = properties[keys[i]];
        }

        ResetCommand.prototype.timeout = 0;

        ResetCommand.encode = function encode(message, writer, q) {
            if (!writer)
                writer = $Writer.create();
            if (q === undefined)
                q = 0;
            if (q > $util.recursionLimit)
                throw Error("max depth exceeded");
            writer.uint32(8).uint32(message.timeout);
            return writer;
        };

        ResetCommand.decode = function decode(reader, length, error, long) {
            if (!(reader instanceof $Reader))
                reader = $Reader.create(reader);
            if (long === undefined)
                long = 0;
            if (long > $Reader.recursionLimit)
                throw Error("maximum nesting depth exceeded");
            var end, message;
            if (length === undefined)
                end = reader.len;
            else {
                end = reader.pos + length;
                if (end > reader.len)
                    throw RangeError("index out of range");
                length = reader.len;
                reader.len = end;
            }
            message = new $root.dfu.ResetCommand();
            while (reader.pos < end) {
                var tag = reader.uint32();
                if (tag === error)
                    break;
                switch (tag >>> 3) {
                case 1: {
                        message.timeout = reader.uint32();
                        break;
                    }
                default:
                    reader.skipType(tag & 7, long);
                    break;
                }
            }
            if (length !== undefined) {
                if (reader.pos !== end)
                    throw RangeError("index out of range");
                reader.len = length;
            }
            if (!Object.hasOwnProperty.call(message, "timeout"))
                throw $util.ProtocolError("missing required 'timeout'", { instance: message });
            return message;
        };

        ResetCommand.fromObject = function fromObject(object, long) {
            if (object instanceof $root.dfu.ResetCommand)
                return object;
            if (!$util.isObject(object))
                throw TypeError(".dfu.ResetCommand: object expected");
            if (long === undefined)
                long = 0;
            if (long > $util.recursionLimit)
                throw Error("maximum nesting depth exceeded");
            var message = new $root.dfu.ResetCommand();
            if (object.timeout != null)
                message.timeout = object.timeout >>> 0;
            return message;
        };

        ResetCommand.toObject = function toObject(message, options, q) {
            if (!options)
                options = {};
            if (q === undefined)
                q = 0;
            if (q > $util.recursionLimit)
                throw Error("max depth exceeded");
            var object = {};
            if (options.defaults)
                object.timeout = 0;
            if (message.timeout != null && Object.hasOwnProperty.call(message, "timeout"))
                object.timeout = message.timeout;
            return object;
        };

        ResetCommand.prototype.toJSON = function toJSON() {
            return this.constructor.toObject(this, $protobuf.util.toJSONOptions);
        };

        return ResetCommand;
    })();

    dfu.Command = (function() {

        function Command(properties) {
            if (properties)
                for (var keys = Object.keys(properties), i = 0; i < keys.length; ++i)
                    if (properties[keys[i]] != null && keys[i] !== "__proto__")
                        this[keys[i]] = properties[keys[i]];
        }

        Command.prototype.opCode = 0;
        Command.prototype.init = null;
        Command.prototype.reset = null;

        Command.encode = function encode(message, writer, q) {
            if (!writer)
                writer = $Writer.create();
            if (q === undefined)
                q = 0;
            if (q > $util.recursionLimit)
                throw Error("max depth exceeded");
            if (message.opCode != null && Object.hasOwnProperty.call(message, "opCode"))
                writer.uint32(8).int32(message.opCode);
            if (message.init != null && Object.hasOwnProperty.call(message, "init"))
                $root.dfu.InitCommand.encode(message.init, writer.uint32(18).fork(), q + 1).ldelim();
            if (message.reset != null && Object.hasOwnProperty.call(message, "reset"))
                $root.dfu.ResetCommand.encode(message.reset, writer.uint32(26).fork(), q + 1).ldelim();
            return writer;
        };

        Command.decode = function decode(reader, length, error, long) {
            if (!(reader instanceof $Reader))
                reader = $Reader.create(reader);
            if (long === undefined)
                long = 0;
            if (long > $Reader.recursionLimit)
                throw Error("maximum nesting depth exceeded");
            var end, message;
            if (length === undefined)
                end = reader.len;
            else {
                end = reader.pos + length;
                if (end > reader.len)
                    throw RangeError("index out of range");
                length = reader.len;
                reader.len = end;
            }
            message = new $root.dfu.Command();
            while (reader.pos < end) {
                var tag = reader.uint32();
                if (tag === error)
                    break;
                switch (tag >>> 3) {
                case 1: {
                        message.opCode = reader.int32();
                        break;
                    }
                case 2: {
                        message.init = $root.dfu.InitCommand.decode(reader, reader.uint32(), undefined, long + 1);
                        break;
                    }
                case 3: {
                        message.reset = $root.dfu.ResetCommand.decode(reader, reader.uint32(), undefined, long + 1);
                        break;
                    }
                default:
                    reader.skipType(tag & 7, long);
                    break;
                }
            }
            if (length !== undefined) {
                if (reader.pos !== end)
                    throw RangeError("index out of range");
                reader.len = length;
            }
            return message;
        };

        Command.fromObject = function fromObject(object, long) {
            if (object instanceof $root.dfu.Command)
                return object;
            if (!$util.isObject(object))
                throw TypeError(".dfu.Command: object expected");
            if (long === undefined)
                long = 0;
            if (long > $util.recursionLimit)
                throw Error("maximum nesting depth exceeded");
            var message = new $root.dfu.Command();
            switch (object.opCode) {
            default:
                if (typeof object.opCode === "number") {
                    message.opCode = object.opCode;
                    break;
                }
                break;
            case "RESET":
            case 0:
                message.opCode = 0;
                break;
            case "INIT":
            case 1:
                message.opCode = 1;
                break;
            }
            if (object.init != null) {
                if (!$util.isObject(object.init))
                    throw TypeError(".dfu.Command.init: object expected");
                message.init = $root.dfu.InitCommand.fromObject(object.init, long + 1);
            }
            if (object.reset != null) {
                if (!$util.isObject(object.reset))
                    throw TypeError(".dfu.Command.reset: object expected");
                message.reset = $root.dfu.ResetCommand.fromObject(object.reset, long + 1);
            }
            return message;
        };

        Command.toObject = function toObject(message, options, q) {
            if (!options)
                options = {};
            if (q === undefined)
                q = 0;
            if (q > $util.recursionLimit)
                throw Error("max depth exceeded");
            var object = {};
            if (options.defaults) {
                object.opCode = options.enums === String ? "RESET" : 0;
                object.init = null;
                object.reset = null;
            }
            if (message.opCode != null && Object.hasOwnProperty.call(message, "opCode"))
                object.opCode = options.enums === String ? $root.dfu.OpCode[message.opCode] === undefined ? message.opCode : $root.dfu.OpCode[message.opCode] : message.opCode;
            if (message.init != null && Object.hasOwnProperty.call(message, "init"))
                object.init = $root.dfu.InitCommand.toObject(message.init, options, q + 1);
            if (message.reset != null && Object.hasOwnProperty.call(message, "reset"))
                object.reset = $root.dfu.ResetCommand.toObject(message.reset, options, q + 1);
            return object;
        };

        Command.prototype.toJSON = function toJSON() {
            return this.constructor.toObject(this, $protobuf.util.toJSONOptions);
        };

        return Command;
    })();

    dfu.SignedCommand = (function() {

        function SignedCommand(properties) {
            if (properties)
                for (var keys = Object.keys(properties), i = 0; i < keys.length; ++i)
                    if (properties[keys[i]] != null && keys[i] !== "__proto__")
                        this[keys[i]] = properties[keys[i]];
        }

        SignedCommand.prototype.command = null;
        SignedCommand.prototype.signatureType = 0;
        SignedCommand.prototype.signature = $util.newBuffer([]);

        SignedCommand.encode = function encode(message, writer, q) {
            if (!writer)
                writer = $Writer.create();
            if (q === undefined)
                q = 0;
            if (q > $util.recursionLimit)
                throw Error("max depth exceeded");
            $root.dfu.Command.encode(message.command, writer.uint32(10).fork(), q + 1).ldelim();
            writer.uint32(16).int32(message.signatureType);
            writer.uint32(26).bytes(message.signature);
            return writer;
        };

        SignedCommand.decode = function decode(reader, length, error, long) {
            if (!(reader instanceof $Reader))
                reader = $Reader.create(reader);
            if (long === undefined)
                long = 0;
            if (long > $Reader.recursionLimit)
                throw Error("maximum nesting depth exceeded");
            var end, message;
            if (length === undefined)
                end = reader.len;
            else {
                end = reader.pos + length;
                if (end > reader.len)
                    throw RangeError("index out of range");
                length = reader.len;
                reader.len = end;
            }
            message = new $root.dfu.SignedCommand();
            while (reader.pos < end) {
                var tag = reader.uint32();
                if (tag === error)
                    break;
                switch (tag >>> 3) {
                case 1: {
                        message.command = $root.dfu.Command.decode(reader, reader.uint32(), undefined, long + 1);
                        break;
                    }
                case 2: {
                        message.signatureType = reader.int32();
                        break;
                    }
                case 3: {
                        message.signature = reader.bytes();
                        break;
                    }
                default:
                    reader.skipType(tag & 7, long);
                    break;
                }
            }
            if (length !== undefined) {
                if (reader.pos !== end)
                    throw RangeError("index out of range");
                reader.len = length;
            }
            if (!Object.hasOwnProperty.call(message, "command"))
                throw $util.ProtocolError("missing required 'command'", { instance: message });
            if (!Object.hasOwnProperty.call(message, "signatureType"))
                throw $util.ProtocolError("missing required 'signatureType'", { instance: message });
            if (!Object.hasOwnProperty.call(message, "signature"))
                throw $util.ProtocolError("missing required 'signature'", { instance: message });
            return message;
        };

        SignedCommand.fromObject = function fromObject(object, long) {
            if (object instanceof $root.dfu.SignedCommand)
                return object;
            if (!$util.isObject(object))
                throw TypeError(".dfu.SignedCommand: object expected");
            if (long === undefined)
                long = 0;
            if (long > $util.recursionLimit)
                throw Error("maximum nesting depth exceeded");
            var message = new $root.dfu.SignedCommand();
            if (object.command != null) {
                if (!$util.isObject(object.command))
                    throw TypeError(".dfu.SignedCommand.command: object expected");
                message.command = $root.dfu.Command.fromObject(object.command, long + 1);
            }
            switch (object.signatureType) {
            default:
                if (typeof object.signatureType === "number") {
                    message.signatureType = object.signatureType;
                    break;
                }
                break;
            case "ECDSA_P256_SHA256":
            case 0:
                message.signatureType = 0;
                break;
            case "ED25519":
            case 1:
                message.signatureType = 1;
                break;
            }
            if (object.signature != null)
                if (typeof object.signature === "string")
                    $util.base64.decode(object.signature, message.signature = $util.newBuffer($util.base64.length(object.signature)), 0);
                else if (object.signature.length >= 0)
                    message.signature = object.signature;
            return message;
        };

        SignedCommand.toObject = function toObject(message, options, q) {
            if (!options)
                options = {};
            if (q === undefined)
                q = 0;
            if (q > $util.recursionLimit)
                throw Error("max depth exceeded");
            var object = {};
            if (options.defaults) {
                object.command = null;
                object.signatureType = options.enums === String ? "ECDSA_P256_SHA256" : 0;
                if (options.bytes === String)
                    object.signature = "";
                else {
                    object.signature = [];
                    if (options.bytes !== Array)
                        object.signature = $util.newBuffer(object.signature);
                }
            }
            if (message.command != null && Object.hasOwnProperty.call(message, "command"))
                object.command = $root.dfu.Command.toObject(message.command, options, q + 1);
            if (message.signatureType != null && Object.hasOwnProperty.call(message, "signatureType"))
                object.signatureType = options.enums === String ? $root.dfu.SignatureType[message.signatureType] === undefined ? message.signatureType : $root.dfu.SignatureType[message.signatureType] : message.signatureType;
            if (message.signature != null && Object.hasOwnProperty.call(message, "signature"))
                object.signature = options.bytes === String ? $util.base64.encode(message.signature, 0, message.signature.length) : options.bytes === Array ? Array.prototype.slice.call(message.signature) : message.signature;
            return object;
        };

        SignedCommand.prototype.toJSON = function toJSON() {
            return this.constructor.toObject(this, $protobuf.util.toJSONOptions);
        };

        return SignedCommand;
    })();

    dfu.Packet = (function() {

        function Packet(properties) {
            if (properties)
                for (var keys = Object.keys(properties), i = 0; i < keys.length; ++i)
                    if (properties[keys[i]] != null && keys[i] !== "__proto__")
                        this[keys[i]] = properties[keys[i]];
        }

        Packet.prototype.command = null;
        Packet.prototype.signedCommand = null;

        Packet.encode = function encode(message, writer, q) {
            if (!writer)
                writer = $Writer.create();
            if (q === undefined)
                q = 0;
            if (q > $util.recursionLimit)
                throw Error("max depth exceeded");
            if (message.command != null && Object.hasOwnProperty.call(message, "command"))
                $root.dfu.Command.encode(message.command, writer.uint32(10).fork(), q + 1).ldelim();
            if (message.signedCommand != null && Object.hasOwnProperty.call(message, "signedCommand"))
                $root.dfu.SignedCommand.encode(message.signedCommand, writer.uint32(18).fork(), q + 1).ldelim();
            return writer;
        };

        Packet.decode = function decode(reader, length, error, long) {
            if (!(reader instanceof $Reader))
                reader = $Reader.create(reader);
            if (long === undefined)
                long = 0;
            if (long > $Reader.recursionLimit)
                throw Error("maximum nesting depth exceeded");
            var end, message;
            if (length === undefined)
                end = reader.len;
            else {
                end = reader.pos + length;
                if (end > reader.len)
                    throw RangeError("index out of range");
                length = reader.len;
                reader.len = end;
            }
            message = new $root.dfu.Packet();
            while (reader.pos < end) {
                var tag = reader.uint32();
                if (tag === error)
                    break;
                switch (tag >>> 3) {
                case 1: {
                        message.command = $root.dfu.Command.decode(reader, reader.uint32(), undefined, long + 1);
                        break;
                    }
                case 2: {
                        message.signedCommand = $root.dfu.SignedCommand.decode(reader, reader.uint32(), undefined, long + 1);
                        break;
                    }
                default:
                    reader.skipType(tag & 7, long);
                    break;
                }
            }
            if (length !== undefined) {
                if (reader.pos !== end)
                    throw RangeError("index out of range");
                reader.len = length;
            }
            return message;
        };

        Packet.fromObject = function fromObject(object, long) {
            if (object instanceof $root.dfu.Packet)
                return object;
            if (!$util.isObject(object))
                throw TypeError(".dfu.Packet: object expected");
            if (long === undefined)
                long = 0;
            if (long > $util.recursionLimit)
                throw Error("maximum nesting depth exceeded");
            var message = new $root.dfu.Packet();
            if (object.command != null) {
                if (!$util.isObject(object.command))
                    throw TypeError(".dfu.Packet.command: object expected");
                message.command = $root.dfu.Command.fromObject(object.command, long + 1);
            }
            if (object.signedCommand != null) {
                if (!$util.isObject(object.signedCommand))
                    throw TypeError(".dfu.Packet.signedCommand: object expected");
                message.signedCommand = $root.dfu.SignedCommand.fromObject(object.signedCommand, long + 1);
            }
            return message;
        };

        Packet.toObject = function toObject(message, options, q) {
            if (!options)
                options = {};
            if (q === undefined)
                q = 0;
            if (q > $util.recursionLimit)
                throw Error("max depth exceeded");
            var object = {};
            if (options.defaults) {
                object.command = null;
                object.signedCommand = null;
            }
            if (message.command != null && Object.hasOwnProperty.call(message, "command"))
                object.command = $root.dfu.Command.toObject(message.command, options, q + 1);
            if (message.signedCommand != null && Object.hasOwnProperty.call(message, "signedCommand"))
                object.signedCommand = $root.dfu.SignedCommand.toObject(message.signedCommand, options, q + 1);
            return object;
        };

        Packet.prototype.toJSON = function toJSON() {
            return this.constructor.toObject(this, $protobuf.util.toJSONOptions);
        };

        return Packet;
    })();

    return dfu;
})();

module.exports = $root;
