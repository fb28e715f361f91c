#!/usr/bin/env python3
"""Writes src/lang/methods/unicode_tables.rs from this CPython's str predicates and case maps.

    python3 scripts/gen_unicode_tables.py > src/lang/methods/unicode_tables.rs
"""
import sys


def ranges(pred):
    out, start = [], None
    for cp in range(0x110000):
        ok = pred(chr(cp))
        if ok and start is None:
            start = cp
        if not ok and start is not None:
            out.append((start, cp - 1))
            start = None
    if start is not None:
        out.append((start, 0x10FFFF))
    return out


print("//! Character classes and case maps of CPython", ".".join(map(str, sys.version_info[:3])) + ",")
print("//! written by `scripts/gen_unicode_tables.py`: do not edit by hand.")
print()
for name in ["isalpha", "isdecimal", "isdigit", "isnumeric", "isprintable"]:
    rs = ranges(getattr(str, name))
    print(f"/// The inclusive code point ranges where `str.{name}` is true.")
    print(f"pub(super) const {name[2:].upper()}: &[(u32, u32)] = &[")
    for a, b in rs:
        print(f"    (0x{a:X}, 0x{b:X}),")
    print("];")
    print()


def pairs(name, doc, f, base):
    print(f"/// {doc}")
    print(f"pub(super) const {name}: &[(char, &str)] = &[")
    for cp in range(0x110000):
        c = chr(cp)
        if 0xD800 <= cp <= 0xDFFF:
            continue
        if f(c) != base(c):
            esc = "".join(f"\\u{{{ord(x):X}}}" for x in f(c))
            print(f"    ('\\u{{{cp:X}}}', \"{esc}\"),")
    print("];")
    print()


pairs("TITLE", "Characters whose titlecase differs from their uppercase.", str.title, str.upper)
pairs("FOLD", "Characters whose case folding differs from their lowercase.", str.casefold, str.lower)
