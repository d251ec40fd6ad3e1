#!/usr/bin/env python3
"""png-check.py FILE - fail unless FILE is a PNG that shows something.

Decodes the PNG (8-bit RGB or RGBA, not interlaced, as Chromium writes
it) with zlib alone, undoes the scanline filters, and requires more than
2% non-white pixels, more than 0.5% dark pixels (text) and more than 8
distinct colours.  Prints the counts.
"""
import struct
import sys
import zlib


def paeth(a, b, c):
    p = a + b - c
    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    if pa <= pb and pa <= pc:
        return a
    return b if pb <= pc else c


def unfilter(raw, width, height, bpp):
    stride = width * bpp
    rows, prev, pos = [], bytearray(stride), 0
    for _ in range(height):
        ftype, line = raw[pos], bytearray(raw[pos + 1:pos + 1 + stride])
        pos += 1 + stride
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b, c = prev[i], prev[i - bpp] if i >= bpp else 0
            if ftype == 1:
                line[i] = (line[i] + a) & 255
            elif ftype == 2:
                line[i] = (line[i] + b) & 255
            elif ftype == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif ftype == 4:
                line[i] = (line[i] + paeth(a, b, c)) & 255
        rows.append(line)
        prev = line
    return rows


def read_png(path):
    with open(path, "rb") as f:
        data = f.read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG")
    pos, idat, hdr = 8, b"", None
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        chunk = data[pos + 8:pos + 8 + n]
        if kind == b"IHDR":
            hdr = struct.unpack(">IIBBBBB", chunk)
        elif kind == b"IDAT":
            idat += chunk
        pos += 12 + n
    width, height, depth, ctype, _, _, interlace = hdr
    if depth != 8 or ctype not in (2, 6) or interlace:
        raise ValueError("unsupported PNG format %r" % (hdr,))
    bpp = 3 if ctype == 2 else 4
    return width, height, bpp, unfilter(zlib.decompress(idat), width,
                                        height, bpp)


def main(path):
    try:
        width, height, bpp, rows = read_png(path)
    except (OSError, ValueError, zlib.error, struct.error) as e:
        print("png-check: %s: %s" % (path, e))
        return 1
    total = nonwhite = dark = 0
    colours = set()
    for row in rows[::2]:                  # every other row is plenty
        for i in range(0, len(row), bpp * 2):
            r, g, b = row[i], row[i + 1], row[i + 2]
            total += 1
            if r < 245 or g < 245 or b < 245:
                nonwhite += 1
            if r + g + b < 200:
                dark += 1
            colours.add((r, g, b))
    print("png-check: %s: %dx%d, %.1f%% non-white, %.2f%% dark, %d colours"
          % (path, width, height, 100.0 * nonwhite / total,
             100.0 * dark / total, len(colours)))
    ok = nonwhite > total * 0.02 and dark > total * 0.005 and len(colours) > 8
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
