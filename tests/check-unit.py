#!/usr/bin/env python3
# check-unit.py: systemd-analyze verify finds nothing wrong in a unit file
#
# SPDX-License-Identifier: GPL-3.0-or-later

import shutil
import subprocess
import sys
from pathlib import Path


def main():
    unit = Path(sys.argv[1])
    print('1..1')
    analyze = shutil.which('systemd-analyze')
    if analyze is None:
        print(f'ok 1 - {unit.name} # SKIP systemd-analyze is not installed')
        return 0

    # verify only warns about an unknown key or a bad value, and exits 0:
    # any line about the unit counts. Lines about other units (those it
    # loads for After= and WantedBy=) are the system's, not this unit's.
    result = subprocess.run([analyze, 'verify', '--man=no', str(unit)],
                            capture_output=True, text=True, check=False)
    problems = [line for line in (result.stdout + result.stderr).splitlines()
                if unit.name in line]
    if result.returncode == 0 and not problems:
        print(f'ok 1 - systemd-analyze verify {unit.name}')
    else:
        print(f'not ok 1 - systemd-analyze verify {unit.name} '
              f'(exit status {result.returncode})')
        for line in problems or result.stderr.splitlines():
            print(f'# {line}')
    # The TAP line carries the result, as in check-potfiles.py.
    return 0


if __name__ == '__main__':
    sys.exit(main())
