# SPDX-License-Identifier: GPL-2.0
"""Print the CPython facts tests/test_pynum.c checks (see regen.sh).

Each line: a kind, then fields separated by spaces; texts as hex bytes
('-' for an empty text), ints in Python's hex(), doubles as their 64-bit
patterns in hex.
  U seed u32...        random.getrandbits(32) after random.seed(seed)
  R seed bits...       random.random() after random.seed(seed)
  I base text value    int(text, base), or ERR
  O text value         optparse's int option type, or ERR
  F text bits          float(text), or ERR
  S bits text          str(float)
  D bits width text    '%*d' % (width, float)
"""
import optparse
import random
import struct

def hx(s):
    return s.encode().hex() or '-'

def bits(x):
    return '%016x' % struct.unpack('<Q', struct.pack('<d', x))[0]

def val(f):
    try:
        return f()
    except (ValueError, OverflowError):
        return 'ERR'

SEEDS = [0, 1, 2, 5, 42, 100, -1, -7, 2**31, 2**32 - 1, 2**32, 2**32 + 5,
         2**64 - 1, 2**64, -(2**40), 12345678901234567890123, 10**100,
         2**(32 * 700) + 3]
for seed in SEEDS:
    random.seed(seed)
    print('U', hex(seed), *[random.getrandbits(32) for _ in range(8)])
    random.seed(seed, version=1)
    print('R', hex(seed), *[bits(random.random()) for _ in range(1300)][::50])

INTS = ['0', '7', '-7', '+7', ' 12 ', '\t3\n', '010', '0_10', '1_000',
        '1__0', '_1', '1_', '', ' ', '-', '+-1', '0x1f', '0X1F', '0x_1f',
        '0x', '0o17', '0O17', '0b101', '0b', '0b_1', '0b0b1', '08', '0e',
        '1e3', '1.0', '12a', 'abc', '99999999999999999999999',
        '-9223372036854775808', '9223372036854775807',
        '9223372036854775808', '1' * 4300, '1' * 4301, '0' * 4301,
        '-0', '00', '0 ', '- 1', '\x0b5\x0c', '\x1c5']
for base in (2, 8, 10, 16):
    for t in INTS:
        if len(t) > 100 and base != 10:
            continue
        print('I', base, hx(t), val(lambda: hex(int(t, base))))
for t in INTS + ['-0x10', '0x10 ', ' 0x10', '-010', '0b2', '0B11']:
    print('O', hx(t), val(lambda: hex(optparse._parse_num(t, int))))

FLOATS = ['1', '1.5', '-2', ' 3 ', '.5', '5.', '.', '', '1e3', '1E-3',
          '1e', 'e3', '1_0.5', '1._5', '1_.5', '1__0', '_1', '1e1_0',
          'inf', '-Infinity', 'INF', 'nan', '-nan', 'infinit', 'nanx',
          '0x10', '1e400', '1e-400', '4.9e-324', '+.5e+2', '0.1', '1,5',
          '1 2', '00012', '1.000000000000000000000000001', '-0']
for t in FLOATS:
    print('F', hx(t), val(lambda: bits(float(t))))

REPRS = [0.0, -0.0, 1.0, 1.5, 0.1, 0.2 + 0.1, 100.0, 1e16, 1e15,
         123456789012345678.0, 1e-4, 1e-5, 1.5e-5, 5e-324, 2.2250738585072014e-308,
         1.7976931348623157e308, 2.0**-1074 * 3, 1 / 3, 2 / 3, 9007199254740993.0,
         float('inf'), -float('inf'), 1e22, 1e23, 2.0**70, 2.0**-20, 123.456,
         0.30000000000000004, 4.35, 1e100, 9.999999999999999e22]
REPRS += [2.0 ** e for e in range(-1074, 1024, 7)]
rnd = random.Random(1)
REPRS += [struct.unpack('<d', struct.pack('<Q', rnd.getrandbits(63)))[0]
          for _ in range(400)]
REPRS += [rnd.random() * 10 ** rnd.randint(-30, 30) for _ in range(300)]
for x in REPRS:
    print('S', bits(x), repr(x))

DS = [0.0, -0.0, 0.5, -0.5, 2.9, -2.9, 7.0, 1e15 + 0.5, 2.0**63, 2.0**64,
      -2.0**63, -2.0**70, 1e16, 1e300, 1.7976931348623157e308, 123456.75]
for x in DS:
    for w in (0, 3, 30):
        print('D', bits(x), w, hx('%*d' % (w, x)))
