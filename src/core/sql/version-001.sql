-- SPDX-License-Identifier: GPL-3.0-or-later
--
-- Schema 1: tasks, verdicts, their outbox, blobs and the audit trail.
-- A migration that has shipped is never edited: the next one is added.

-- rank is -priority, so queue order is one ascending index walk.
CREATE TABLE tasks (
  id TEXT PRIMARY KEY,
  queue TEXT NOT NULL,
  title TEXT NOT NULL,
  priority INTEGER NOT NULL,
  rank INTEGER NOT NULL,
  created_at TEXT NOT NULL,
  due_at TEXT,
  confidence REAL,
  body TEXT NOT NULL,
  lease_token TEXT,
  lease_expires_at TEXT,
  state TEXT NOT NULL DEFAULT 'pending'
    CHECK (state IN ('pending', 'decided', 'released', 'lost')),
  received_at TEXT NOT NULL
);
CREATE INDEX tasks_queue_order ON tasks (state, rank, created_at, id);

CREATE TABLE verdicts (
  idempotency_key TEXT PRIMARY KEY,
  task_id TEXT NOT NULL REFERENCES tasks (id),
  decision TEXT NOT NULL,
  body TEXT NOT NULL,
  recorded_at TEXT NOT NULL
);
CREATE INDEX verdicts_task ON verdicts (task_id);

CREATE TABLE outbox (
  seq INTEGER PRIMARY KEY,
  idempotency_key TEXT NOT NULL UNIQUE
    REFERENCES verdicts (idempotency_key) ON DELETE CASCADE,
  state TEXT NOT NULL
    CHECK (state IN ('queued', 'sent', 'acknowledged', 'conflict', 'invalid')),
  attempts INTEGER NOT NULL DEFAULT 0,
  not_before TEXT NOT NULL
);

CREATE TABLE blobs (
  sha256 TEXT PRIMARY KEY,
  data BLOB NOT NULL
);

CREATE TABLE audit (
  seq INTEGER PRIMARY KEY,
  record TEXT NOT NULL,
  hash TEXT NOT NULL
);
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
  BEGIN SELECT RAISE (ABORT, 'the audit trail is append-only'); END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
  BEGIN SELECT RAISE (ABORT, 'the audit trail is append-only'); END;
