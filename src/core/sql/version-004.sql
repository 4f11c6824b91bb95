-- SPDX-License-Identifier: GPL-3.0-or-later
--
-- Schema 4: the lease request a sync has sent and not yet stored the
-- answer to, one per queue. Written before the request goes out and
-- deleted in the transaction that stores its tasks, so a sync killed in
-- between asks again under the same id and gets the same tasks.

CREATE TABLE lease_requests (
  queue TEXT PRIMARY KEY,
  request_id TEXT NOT NULL,
  made_at TEXT NOT NULL
);
