"""Consistent Overhead Byte Stuffing, byte-compatible with firmware/core/src/sg_cobs.c."""


class CobsError(ValueError):
    pass


def encode(data: bytes) -> bytes:
    out = bytearray([0])
    code_at, code = 0, 1
    for byte in data:
        if byte == 0:
            out[code_at] = code
            code_at, code = len(out), 1
            out.append(0)
            continue
        out.append(byte)
        code += 1
        if code == 0xFF:
            out[code_at] = code
            code_at, code = len(out), 1
            out.append(0)
    out[code_at] = code
    return bytes(out)


def decode(data: bytes) -> bytes:
    out = bytearray()
    i, n = 0, len(data)
    while i < n:
        code = data[i]
        i += 1
        if code == 0:
            raise CobsError("zero byte inside a COBS block")
        end = i + code - 1
        if end > n:
            raise CobsError("COBS block runs past the end of the frame")
        block = data[i:end]
        if 0 in block:
            raise CobsError("zero byte inside a COBS block")
        out += block
        i = end
        if code != 0xFF and i < n:
            out.append(0)
    return bytes(out)
