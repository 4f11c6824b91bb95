-- SPDX-License-Identifier: GPL-3.0-or-later
--
-- Schema 2: quarantined tasks; retry times and the server's answer per
-- verdict; the evidence files each task needs.

CREATE TABLE quarantine (
  seq INTEGER PRIMARY KEY,
  task_id TEXT,
  body TEXT NOT NULL,
  error TEXT NOT NULL,
  received_at TEXT NOT NULL,
  UNIQUE (task_id)
);
ALTER TABLE outbox ADD COLUMN next_attempt_at TEXT;
ALTER TABLE outbox ADD COLUMN last_answer TEXT;
CREATE INDEX outbox_state ON outbox (state, seq);
CREATE INDEX tasks_queue_order_by_queue ON tasks (state, queue, rank, created_at, id);
CREATE INDEX tasks_lease_token ON tasks (lease_token) WHERE lease_token IS NOT NULL;

CREATE TABLE task_blobs (
  task_id TEXT NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
  sha256 TEXT NOT NULL,
  size INTEGER NOT NULL,
  PRIMARY KEY (task_id, sha256)
);
