/* fuzz-codec.c: libFuzzer target for the codec
 *
 * Feeds arbitrary bytes to the lease reply reader (which splits a reply
 * into tasks by hand, before any parser sees them) and to the task and
 * verdict decoders. Beyond "no crash,
 * no leak, no undefined behaviour", it checks that canonical JSON is a fixed
 * point: writing, reading and writing again gives the same bytes, which the
 * audit trail's hashes depend on.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "fuzz-codec"

#include "config.h"

#include <string.h>

#include "docket-codec.h"
#include "docket-codec-reply.h"
#include "docket-json.h"

int LLVMFuzzerTestOneInput (const guint8 *data,
                            size_t        size);

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autoptr(JsonNode) node = docket_codec_parse ((const char *) data, size, NULL, NULL);
  g_autoptr(DocketTask) task = NULL;
  g_autoptr(DocketVerdict) verdict = NULL;
  g_autoptr(JsonNode) again = NULL;
  g_autofree char *canonical = NULL;
  g_autofree char *canonical_again = NULL;
  g_autoptr(DocketLeaseReply) lease = docket_codec_decode_lease_reply ((const char *) data, size,
                                                                        NULL, NULL);

  /* Every task it read is a JSON object; the rest it set aside. */
  for (guint i = 0; lease != NULL && i < json_array_get_length (lease->tasks); i++)
    g_assert (JSON_NODE_HOLDS_OBJECT (json_array_get_element (lease->tasks, i)));

  if (node == NULL)
    return 0;

  task = docket_codec_decode_task (node, NULL, NULL);
  verdict = docket_codec_decode_verdict (node, NULL);
  if (task != NULL && verdict != NULL)
    docket_verdict_check (verdict, task, NULL);

  if (verdict != NULL)
    {
      g_autoptr(JsonNode) encoded = docket_codec_encode_verdict (verdict);
      g_autoptr(DocketVerdict) decoded = docket_codec_decode_verdict (encoded, NULL);

      g_assert (decoded != NULL);
    }

  canonical = docket_json_canonical (node);
  again = docket_codec_parse (canonical, strlen (canonical), NULL, NULL);
  g_assert (again != NULL);
  canonical_again = docket_json_canonical (again);
  g_assert (strcmp (canonical, canonical_again) == 0);
  return 0;
}
