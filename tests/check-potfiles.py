#!/usr/bin/env python3
# check-potfiles.py: po/POTFILES.in names every source file with translatable
# strings, and only files that exist
#
# SPDX-License-Identifier: GPL-3.0-or-later

import re
import sys
from pathlib import Path

# The lookbehind keeps names that merely end in "_", such as foo_(), out.
MARKED = re.compile(r'(?<!\w)[NC]?_ ?\(|translatable="yes"')


def main():
    root = Path(sys.argv[1])
    listed = set()
    for line in (root / 'po' / 'POTFILES.in').read_text(encoding='utf-8').splitlines():
        line = line.strip()
        if line and not line.startswith('#'):
            listed.add(line)

    marked = set()
    for top in ('src', 'ui'):
        for path in (root / top).rglob('*'):
            if (path.suffix in ('.c', '.ui') and path.is_file()
                    and MARKED.search(path.read_text(encoding='utf-8'))):
                marked.add(path.relative_to(root).as_posix())

    missing = sorted(marked - listed)
    absent = sorted(name for name in listed if not (root / name).is_file())

    print('1..1')
    if missing or absent:
        print('not ok 1 - po/POTFILES.in is out of date')
    else:
        print('ok 1 - po/POTFILES.in lists every file with translatable strings')
    for name in missing:
        print(f'# missing: {name}')
    for name in absent:
        print(f'# no such file: {name}')
    # The TAP line carries the result: a non-zero status would make meson
    # report an error in the check rather than a failed check.
    return 0


if __name__ == '__main__':
    sys.exit(main())
