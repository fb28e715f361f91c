"""Regenerates the pyfmt goldens with CPython (run: python3 gen.py, from this folder).

Each line is tab-separated. Floats are given by their IEEE-754 bits (hex) so the
Rust side sees the exact value Python formatted. Expected values are exactly
what the stated Python expression returned; errors as 'Error: message'.
"""
import random
import struct
import sys

def bits(x):
    return "%016x" % struct.unpack("<Q", struct.pack("<d", x))[0]

def from_bits(b):
    return struct.unpack("<d", struct.pack("<Q", b))[0]

def call(f):
    try:
        return f()
    except (ValueError, OverflowError) as e:
        return "Error: " + str(e)

def printable(s):
    """Control characters (format(7, 'c')) would break the line format."""
    return all(ord(c) >= 32 for c in s)

rng = random.Random(20261129)

FLOATS = [0.0, -0.0, 1.0, -1.0, 1.5, -1.5, 0.1, 0.2 + 0.1, 2.675, 0.5, 2.5, 3.5, 100.0,
          1234567.891, -1234567.891, 1e-5, 1.5e-7, 0.0001, 0.00012345, 1e16, 1e22, 1e23,
          123456789012345.0, 123456789.0, 9.999999, 99.995, 0.125, 0.375, 1e100, -1e-100,
          float("nan"), float("inf"), float("-inf"), 5e-324, 1.7976931348623157e308,
          3.14159265358979, -0.0004, 0.05, 1e15, 9999999999999998.0, 2**53 + 0.0]
FLOAT_SPECS = ["", "f", ".2f", ".0f", "#.0f", ".10f", "F", "e", ".3e", ".0e", "#.0e", "E",
               "g", ".3g", ".0g", ".1g", ".10g", ".17g", "G", "#g", "#.3g", ".3", ".1", ".17",
               "10", "<10", "^10", "=10", "+", " ", "-", "010.2f", "010", "+010", ",", ",.2f",
               "_.1f", "_g", "%", ".1%", ".0%", "z.1f", "z", "z.0f", "+.3e", "012,.2f",
               "020,.3e", "n", ".3n", "x<10.2f", "*^11.3f", "0<8", "x=+12.1f", "^+9", "#",
               "d", "s", "x", ",d", ",n", "_,", ",_", "10.2fx", "abc", ".", ".f", "#010.1%"]
INTS = [0, 1, -1, 7, 42, -42, 255, 1234567, -1234567, 65, 0x10FFFF, 0x110000,
        9223372036854775807, -9223372036854775808]
INT_SPECS = ["", "d", "b", "o", "x", "X", "#x", "#X", "#b", "#o", "5", "<5", "^6", "=+8",
             "08", "+", " ", ",", "_", "_x", "_b", "_o", "012,", "013_", "012_x", "#012_x",
             ".2f", "e", "%", "g", "G", "n", "c", ">3c", "+c", "#c", ".2", "z", "zd", "s",
             ",x", "#010x", "0=10", "x>8", " 5", "-#10o", "010n", ",c", "_n", "f", "E",
             "15,.2f", "<+08", "^011"]
STRS = ["", "abc", "中文", "hello world"]
STR_SPECS = ["", "s", "10", "<10", ">10", "^10", "*^9", ".2", "10.2", ".0", "=10", "+",
             " ", "-", "#", "z", "05", "d", ",", "_", "0>5", "x<7", "^", "1", "ss"]

BOOL_SPECS = ["", "d", ">5", "s", "abc", ".2f", "x", "^7", "+", "#b"]

def random_spec():
    """A spec drawn from the grammar [[fill]align][sign][z][#][0][width][grouping][.precision][type]."""
    parts = []
    if rng.random() < 0.4:
        parts.append(rng.choice(["", "*", "0", "x", "中"]) + rng.choice("<>^="))
    for options, chance in [("+- ", 0.3), ("z", 0.15), ("#", 0.2), ("0", 0.25)]:
        if rng.random() < chance:
            parts.append(rng.choice(options))
    if rng.random() < 0.6:
        parts.append(str(rng.randint(0, 25)))
    if rng.random() < 0.25:
        parts.append(rng.choice(",_"))
    if rng.random() < 0.5:
        parts.append("." + str(rng.randint(0, 20)))
    if rng.random() < 0.8:
        parts.append(rng.choice("bcdeEfFgGnosxX%"))
    return "".join(parts)

def emit_format(path):
    with open(path, "w") as out:
        out.write("# kind\tvalue\tspec\tformat(value, spec)\n")
        for x in FLOATS:
            for spec in FLOAT_SPECS:
                out.write("f\t%s\t%s\t%s\n" % (bits(x), spec, call(lambda: format(x, spec))))
        for i in INTS:
            for spec in INT_SPECS:
                result = call(lambda: format(i, spec))
                if printable(result):
                    out.write("i\t%d\t%s\t%s\n" % (i, spec, result))
        for s in STRS:
            for spec in STR_SPECS:
                out.write("s\t%s\t%s\t%s\n" % (s, spec, call(lambda: format(s, spec))))
        for b in [True, False]:
            for spec in BOOL_SPECS:
                out.write("b\t%s\t%s\t%s\n" % (b, spec, call(lambda: format(b, spec))))
        # random specs on random values
        for x in random_floats(1500):
            spec = random_spec()
            out.write("f\t%s\t%s\t%s\n" % (bits(x), spec, call(lambda: format(x, spec))))
        for _ in range(1500):
            i = rng.choice([rng.randint(-1000, 1000), rng.randint(-2 ** 63, 2 ** 63 - 1), rng.randint(0, 0x10FFFF)])
            spec = random_spec()
            result = call(lambda: format(i, spec))
            if printable(result):
                out.write("i\t%d\t%s\t%s\n" % (i, spec, result))

def random_floats(n):
    xs = []
    for _ in range(n):
        kind = rng.random()
        if kind < 0.4:
            x = from_bits(rng.getrandbits(64))
        elif kind < 0.8:
            x = rng.uniform(-1, 1) * 10 ** rng.randint(-30, 30)
        else:
            x = round(rng.uniform(-1000, 1000), rng.randint(0, 6))
        xs.append(x)
    return xs

def tie_prone(n):
    """Values whose shortest digits have two equally near candidates."""
    return [rng.randrange(2 ** 40, 2 ** 53) / 2 ** rng.randint(1, 12) for _ in range(n)]

def emit_repr(path):
    with open(path, "w") as out:
        out.write("# bits\trepr(x)\n")
        for x in FLOATS + random_floats(3000) + tie_prone(1000) + [10.0 ** k for k in range(-8, 24)]:
            out.write("%s\t%s\n" % (bits(x), repr(x)))

def emit_round(path):
    values = FLOATS + [2.675, 0.285, 1.005, 1234.5, 1250.0, 1350.0, -1250.0, 0.45, 5.5, -5.5,
                       4.5, 1e300, 1.7976931348623157e308, 12345678901234567890.0]
    values += random_floats(300)
    with open(path, "w") as out:
        out.write("# bits\tndigits ('-' for round(x))\tround(x[, ndigits]) as float bits\trepr\n")
        for x in values:
            r = call(lambda: round(x))
            if isinstance(r, int):
                r = float(r)
                out.write("%s\t-\t%s\t%s\n" % (bits(x), bits(r), repr(r)))
            for nd in [0, 1, 2, 3, 5, 10, 17, 300, 323, 324, -1, -2, -3, -10, -300, -308, -309]:
                r = call(lambda: round(x, nd))
                if isinstance(r, float):
                    out.write("%s\t%d\t%s\t%s\n" % (bits(x), nd, bits(r), repr(r)))

if __name__ == "__main__":
    print(sys.version, file=sys.stderr)
    emit_format("format.tsv")
    emit_repr("repr.tsv")
    emit_round("round.tsv")
