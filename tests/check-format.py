#!/usr/bin/env python3
# check-format.py: the C sources under src/ and tests/ are written as
# .clang-format says, in lines of at most 100 columns
#
# SPDX-License-Identifier: GPL-3.0-or-later

import difflib
import re
import shutil
import subprocess
import sys
from pathlib import Path

MAX_COLUMNS = 100
MAX_REPORTED = 20
# .clang-format leaves these as written (clang-format 14 would put a space
# before their parenthesis), so the space is checked here.
SPACED_AUTO = re.compile(r'\b(g_autoptr|g_auto|g_autolist|g_autoslist) \(')
# clang-format 14 reads docket-store-error-quark as a subtraction, and the
# spaces it adds would go into the quark's string.
SPLIT_QUARK = re.compile(r'G_DEFINE_QUARK \([\w-]* - ')
VERSION = re.compile(r'clang-format version (\d+)\.')


def find_clang_format():
    """Returns clang-format 14's path, or why there is none."""
    for name in ('clang-format-14', 'clang-format'):
        path = shutil.which(name)
        if path is None:
            continue
        output = subprocess.run([path, '--version'], capture_output=True, text=True).stdout
        match = VERSION.search(output)
        if match is None:
            return None, f'{name} --version does not say its version'
        if match.group(1) != '14':
            return None, (f'clang-format {match.group(1)} formats differently from '
                          'clang-format 14, which .clang-format is written for')
        return path, None
    return None, 'clang-format is not installed'


def source_files(root):
    """The C files under src/ and tests/, outside tests/data: the tracked ones
    in a git checkout, every one in an unpacked tarball."""
    try:
        toplevel = subprocess.run(['git', '-C', str(root), 'rev-parse', '--show-toplevel'],
                                  capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        toplevel = None
    if toplevel is not None and Path(toplevel).resolve() == root.resolve():
        listed = subprocess.run(['git', '-C', str(root), 'ls-files', '-z', '--',
                                 'src/*.[ch]', 'tests/*.[ch]'],
                                capture_output=True, text=True, check=True).stdout
        names = [name for name in listed.split('\0') if name]
    else:
        names = [path.relative_to(root).as_posix()
                 for top in ('src', 'tests') for path in (root / top).rglob('*.[ch]')]
    return sorted(name for name in names
                  if not name.startswith('tests/data/') and (root / name).is_file())


def problems_in(root, clang_format, name):
    """Yields (line number, problem) for one file."""
    text = (root / name).read_text(encoding='utf-8')
    formatted = subprocess.run([clang_format, f'--style=file:{root / ".clang-format"}',
                                f'--assume-filename={name}'],
                               input=text, capture_output=True, encoding='utf-8',
                               check=True).stdout
    lines = text.split('\n')
    wanted = formatted.split('\n')
    matcher = difflib.SequenceMatcher(None, lines, wanted, autojunk=False)
    for tag, i1, _, j1, j2 in matcher.get_opcodes():
        if tag == 'equal':
            continue
        if j1 < j2:
            yield i1 + 1, f'clang-format writes: {wanted[j1]}'
        else:
            yield i1 + 1, 'clang-format removes this line'
    for number, line in enumerate(lines, 1):
        if len(line) > MAX_COLUMNS:
            yield number, f'{len(line)} columns, over {MAX_COLUMNS}'
        if SPACED_AUTO.search(line):
            yield number, 'no space before the parenthesis of g_autoptr() and the like'
        if SPLIT_QUARK.search(line):
            yield number, ('the quark name is split: keep G_DEFINE_QUARK between '
                           '/* clang-format off */ and /* clang-format on */')


def main():
    root = Path(sys.argv[1])
    clang_format, reason = find_clang_format()
    if clang_format is None:
        print(f'1..0 # SKIP {reason}')
        return 0

    problems = []
    for name in source_files(root):
        problems += [(name, number, problem)
                     for number, problem in sorted(problems_in(root, clang_format, name))]

    print('1..1')
    if problems:
        print('not ok 1 - the C sources are not formatted as .clang-format says')
    else:
        print('ok 1 - the C sources are formatted as .clang-format says')
    for name, number, problem in problems[:MAX_REPORTED]:
        print(f'# {name}:{number}: {problem}')
    if len(problems) > MAX_REPORTED:
        print(f'# ... and {len(problems) - MAX_REPORTED} more; build-aux/format rewrites the files')
    # The TAP line carries the result: a non-zero status would make meson
    # report an error in the check rather than a failed check.
    return 0


if __name__ == '__main__':
    sys.exit(main())
