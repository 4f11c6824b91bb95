-- SPDX-License-Identifier: GPL-3.0-or-later
--
-- Schema 3: evidence files the queue server answered it does not have,
-- and when it was last asked for each, so a pass asks again only now and
-- then; the task that names one says so on its evidence page.

CREATE TABLE missing_blobs (
  sha256 TEXT PRIMARY KEY,
  checked_at TEXT NOT NULL
);
