-- payvand-server schema on PostgreSQL, version 1: the same tables and columns as
-- migrations/001-initial.sql (SQLite), so that `payvand-server migrate --from-sqlite`
-- copies every table column by column. Instants are UTC milliseconds (BIGINT). JSON is
-- kept as TEXT. The version applied is kept in schema_migrations (created by the server).

CREATE TABLE meta (
  name TEXT PRIMARY KEY NOT NULL,
  value TEXT NOT NULL
);

-- Counters handed out inside the writing transaction (the change sequence).
CREATE TABLE counters (
  name TEXT PRIMARY KEY NOT NULL,
  value BIGINT NOT NULL
);
INSERT INTO counters (name, value) VALUES ('change_seq', 0);

CREATE TABLE accounts (
  id TEXT PRIMARY KEY NOT NULL,
  login TEXT NOT NULL UNIQUE,
  password_hash TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('admin', 'manager', 'rep')),
  team TEXT,
  active INTEGER NOT NULL DEFAULT 1,
  created_at BIGINT NOT NULL
);

-- Only a hash of each bearer token is kept.
CREATE TABLE tokens (
  token_hash TEXT PRIMARY KEY NOT NULL,
  account_id TEXT NOT NULL REFERENCES accounts (id),
  client_id TEXT NOT NULL,
  expires_at BIGINT NOT NULL,
  created_at BIGINT NOT NULL
);

CREATE TABLE login_failures (
  login TEXT NOT NULL,
  address TEXT NOT NULL,
  failures INTEGER NOT NULL,
  locked_until BIGINT NOT NULL,
  PRIMARY KEY (login, address)
);

-- A client id belongs to the account that first signed in with it.
CREATE TABLE clients (
  client_id TEXT PRIMARY KEY NOT NULL,
  account_id TEXT NOT NULL REFERENCES accounts (id),
  last_mutation_id BIGINT,
  created_at BIGINT NOT NULL
);

-- The result of every mutation applied, so that a replay returns it.
CREATE TABLE applied_mutations (
  client_id TEXT NOT NULL,
  mutation_id BIGINT NOT NULL,
  result TEXT NOT NULL,
  PRIMARY KEY (client_id, mutation_id)
);

-- The current state of each record: field values and, per field, its clock
-- {"field": [hlc, node, version], ...}.
CREATE TABLE records (
  entity TEXT NOT NULL,
  id TEXT NOT NULL,
  version BIGINT NOT NULL,
  deleted INTEGER NOT NULL DEFAULT 0,
  owner_id TEXT,
  assignee_id TEXT,
  team TEXT,
  fields TEXT NOT NULL,
  clocks TEXT NOT NULL,
  hlc BIGINT NOT NULL DEFAULT 0,  -- the latest clock of any field
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (entity, id)
);

-- The change log, in commit order. prev_* say who could see the record before this change,
-- so that a record leaving someone's view reaches them as a removal.
CREATE TABLE changes (
  seq BIGINT PRIMARY KEY NOT NULL,  -- from counters.change_seq, never a SEQUENCE
  entity TEXT NOT NULL,
  record_id TEXT NOT NULL,
  prev_owner_id TEXT,
  prev_assignee_id TEXT,
  prev_team TEXT
);

CREATE TABLE conflicts (
  id TEXT PRIMARY KEY NOT NULL,
  entity TEXT NOT NULL,
  record_id TEXT NOT NULL,
  field TEXT NOT NULL,
  local_value TEXT,        -- JSON: the value the pushing client sent
  remote_value TEXT,       -- JSON: the value the server held
  winner TEXT NOT NULL CHECK (winner IN ('local', 'remote')),
  client_id TEXT NOT NULL, -- the pushing client
  account_id TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  resolved INTEGER NOT NULL DEFAULT 0,
  resolved_by TEXT,
  resolved_at BIGINT
);
CREATE INDEX conflicts_open ON conflicts (resolved, created_at);
CREATE INDEX conflicts_record ON conflicts (entity, record_id);
