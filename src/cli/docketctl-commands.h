/* docketctl-commands.h: docketctl's command line
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Exit codes, as README.md documents them. */
typedef enum
{
  DOCKETCTL_EXIT_OK = 0,
  DOCKETCTL_EXIT_FAILED = 1,
  DOCKETCTL_EXIT_USAGE = 2,
  DOCKETCTL_EXIT_OFFLINE = 3,
  DOCKETCTL_EXIT_TAMPERED = 4,
  DOCKETCTL_EXIT_AUTH = 5,
  DOCKETCTL_EXIT_REFUSED = 6,
} DocketctlExit;

int docketctl_commands_run (int    argc,
                            char **argv);

G_END_DECLS
