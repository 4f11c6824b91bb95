/* dq-main.c: docket-queue, the reference queue server
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <locale.h>

#include "dq-commands.h"

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  return dq_commands_run (argc, argv);
}
