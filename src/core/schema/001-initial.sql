-- Payvand schema, version 1: the whole domain.
--
-- Every synced table has the same six system columns:
--   id          UUID text, made on the device so that offline creation works
--   created_at  UTC milliseconds
--   updated_at  UTC milliseconds
--   version     the server's version of the row; 0 = never synced
--   deleted     tombstone: nothing is hard-deleted before it is synced
--   owner_id    the responsible user
-- Instants are UTC milliseconds (INTEGER); calendar dates are Gregorian 'YYYY-MM-DD' text.
-- Money is an INTEGER in the currency's smallest unit beside an ISO 4217 code.
-- Lists that belong to one record and change together (phones, emails, addresses, tags)
-- are JSON arrays in one field, so that they merge as one value in sync.

CREATE TABLE teams (
  id TEXT PRIMARY KEY NOT NULL,
  created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL,
  version INTEGER NOT NULL DEFAULT 0, deleted INTEGER NOT NULL DEFAULT 0, owner_id TEXT,
  name TEXT NOT NULL
);

CREATE TABLE users (
  id TEXT PRIMARY KEY NOT NULL,
  created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL,
  version INTEGER NOT NULL DEFAULT 0, deleted INTEGER NOT NULL DEFAULT 0, owner_id TEXT,
  login TEXT NOT NULL,
  name TEXT NOT NULL,
  email TEXT,
  phone TEXT,
  role TEXT NOT NULL DEFAULT 'rep' CHECK (role IN ('admin', 'manager', 'rep')),
  team_id TEXT REFERENCES teams (id) DEFERRABLE INITIALLY DEFERRED,
  active INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE customers (
  id TEXT PRIMARY KEY NOT NULL,
  created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL,
  version INTEGER NOT NULL DEFAULT 0, deleted INTEGER NOT NULL DEFAULT 0, owner_id TEXT,
  kind TEXT NOT NULL DEFAULT 'person' CHECK (kind IN ('person', 'organization')),
  name TEXT NOT NULL,
  relation TEXT NOT NULL DEFAULT 'customer'
    CHECK (relation IN ('customer', 'reseller', 'supplier', 'partner', 'internal')),
  stage TEXT NOT NULL DEFAULT 'lead'
    CHECK (stage IN ('lead', 'prospect', 'customer', 'loyal', 'churned')),
  source TEXT,             -- the channel the customer came from
  industry TEXT,
  city TEXT,
  province TEXT,
  national_id TEXT,        -- Iranian national id (persons) or national company id
  economic_code TEXT,
  birthday TEXT,
  phones TEXT,             -- JSON [{"label": "mobile", "number": "09121234567"}, ...]
  emails TEXT,             -- JSON [{"label": "work", "address": "a@b.ir"}, ...]
  addresses TEXT,          -- JSON [{"label": "office", "street": ..., "city": ..., "postal_code": ...}]
  tags TEXT,               -- JSON ["vip", ...]
  notes TEXT,
  campaign_id TEXT         -- the campaign that brought the customer, if any
);
CREATE INDEX customers_owner ON customers (owner_id) WHERE deleted = 0;
CREATE INDEX customers_city ON customers (city) WHERE deleted = 0;
CREATE INDEX customers_updated ON customers (updated_at);

CREATE TABLE contacts (
  id TEXT PRIMARY KEY NOT NULL,
  created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL,
  version INTEGER NOT NULL DEFAULT 0, deleted INTEGER NOT NULL DEFAULT 0, owner_id TEXT,
  customer_id TEXT NOT NULL REFERENCES customers (id) DEFERRABLE INITIALLY DEFERRED,
  name TEXT NOT NULL,
  role TEXT,
  phones TEXT,
  emails TEXT,
  notes TEXT
);
CREATE INDEX contacts_customer ON contacts (customer_id);

CREATE TABLE pipelines (
  id TEXT PRIMARY KEY NOT NULL,
  created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL,
  version INTEGER NOT NULL DEFAULT 0, deleted INTEGER NOT NULL DEFAULT 0, owner_id TEXT,
  name TEXT NOT NULL,
  position INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE stages (
  id TEXT PRIMARY KEY NOT NULL,
  created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL,
  version INTEGER NOT NULL DEFAULT 0, deleted INTEGER NOT NULL DEFAULT 0, owner_id TEXT,
  pipeline_id TEXT NOT NULL REFERENCES pipelines (id) DEFERRABLE INITIALLY DEFERRED,
  name TEXT NOT NULL,
  position INTEGER NOT NULL DEFAULT 0,
  probability INTEGER NOT NULL DEFAULT 0 CHECK (probability BETWEEN 0 AND 100),
  color TEXT,
  kind TEXT NOT NULL DEFAULT 'open' CHECK (kind IN ('open', 'won', 'lost'))
);
CREATE INDEX stages_pipeline ON stages (pipeline_id, position);

CREATE TABLE lost_reasons (
  id TEXT PRIMARY KEY NOT NULL,
  created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL,
  version INTEGER NOT NULL DEFAULT 0, deleted INTEGER NOT NULL DEFAULT 0, owner_id TEXT,
  name TEXT NOT NULL,
  position INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE products (
  id TEXT PRIMARY KEY NOT NULL,
  created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL,
  version INTEGER NOT NULL DEFAULT 0, deleted INTEGER NOT NULL DEFAULT 0, owner_id TEXT,
  code TEXT,
  name TEXT NOT NULL,
  kind TEXT NOT NULL DEFAULT 'product' CHECK (kind IN ('product', 'service')),
  price INTEGER NOT NULL DEFAULT 0,
  currency TEXT NOT NULL DEFAULT 'IRR',
  warranty_months INTEGER NOT NULL DEFAULT 0,
  service_interval_days INTEGER NOT NULL DEFAULT 0,
  active INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE campaigns (
  id TEXT PRIMARY KEY NOT NULL,
  created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL,
  version INTEGER NOT NULL DEFAULT 0, deleted INTEGER NOT NULL DEFAULT 0, owner_id TEXT,
  name TEXT NOT NULL,
  channel TEXT NOT NULL DEFAULT 'email'
    CHECK (channel IN ('email', 'sms', 'phone', 'event', 'social', 'ads')),
  starts_on TEXT,
  ends_on TEXT,
  budget INTEGER NOT NULL DEFAULT 0,
  cost INTEGER NOT NULL DEFAULT 0,
  currency TEXT NOT NULL DEFAULT 'IRR',
  segment TEXT,
  notes TEXT
);

CREATE TABLE campaign_members (
  id TEXT PRIMARY KEY NOT NULL,
  created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL,
  version INTEGER NOT NULL DEFAULT 0, deleted INTEGER NOT NULL DEFAULT 0, owner_id TEXT,
  campaign_id TEXT NOT NULL REFERENCES campaigns (id) DEFERRABLE INITIALLY DEFERRED,
  customer_id TEXT NOT NULL REFERENCES customers (id) DEFERRABLE INITIALLY DEFERRED,
  status TEXT NOT NULL DEFAULT 'targeted'
    CHECK (status IN ('targeted', 'contacted', 'responded', 'converted')),
  contacted_at INTEGER,
  responded_at INTEGER,
  converted_at INTEGER
);
CREATE INDEX campaign_members_campaign ON campaign_members (campaign_id);
CREATE INDEX campaign_members_customer ON campaign_members (customer_id);

CREATE TABLE deals (
  id TEXT PRIMARY KEY NOT NULL,
  created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL,
  version INTEGER NOT NULL DEFAULT 0, deleted INTEGER NOT NULL DEFAULT 0, owner_id TEXT,
  title TEXT NOT NULL,
  customer_id TEXT NOT NULL REFERENCES customers (id) DEFERRABLE INITIALLY DEFERRED,
  contact_id TEXT,
  amount INTEGER NOT NULL DEFAULT 0,
  currency TEXT NOT NULL DEFAULT 'IRR',
  pipeline_id TEXT NOT NULL REFERENCES pipelines (id) DEFERRABLE INITIALLY DEFERRED,
  stage_id TEXT NOT NULL REFERENCES stages (id) DEFERRABLE INITIALLY DEFERRED,
  status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'won', 'lost')),
  probability INTEGER NOT NULL DEFAULT 0,
  lost_reason_id TEXT,
  lost_note TEXT,
  expected_close TEXT,
  closed_at INTEGER,
  stage_changed_at INTEGER,
  campaign_id TEXT,
  position REAL NOT NULL DEFAULT 0,     -- order of the card inside its stage column
  notes TEXT
);
CREATE INDEX deals_customer ON deals (customer_id);
CREATE INDEX deals_board ON deals (pipeline_id, status, stage_id, position) WHERE deleted = 0;
CREATE INDEX deals_owner ON deals (owner_id, status);

CREATE TABLE deal_lines (
  id TEXT PRIMARY KEY NOT NULL,
  created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL,
  version INTEGER NOT NULL DEFAULT 0, deleted INTEGER NOT NULL DEFAULT 0, owner_id TEXT,
  deal_id TEXT NOT NULL REFERENCES deals (id) DEFERRABLE INITIALLY DEFERRED,
  product_id TEXT REFERENCES products (id) DEFERRABLE INITIALLY DEFERRED,
  description TEXT,
  quantity REAL NOT NULL DEFAULT 1,
  unit_price INTEGER NOT NULL DEFAULT 0,
  discount_percent REAL NOT NULL DEFAULT 0
);
CREATE INDEX deal_lines_deal ON deal_lines (deal_id);

CREATE TABLE deal_stage_history (
  id TEXT PRIMARY KEY NOT NULL,
  created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL,
  version INTEGER NOT NULL DEFAULT 0, deleted INTEGER NOT NULL DEFAULT 0, owner_id TEXT,
  deal_id TEXT NOT NULL REFERENCES deals (id) DEFERRABLE INITIALLY DEFERRED,
  from_stage_id TEXT,
  to_stage_id TEXT NOT NULL,
  changed_at INTEGER NOT NULL,
  changed_by TEXT
);
CREATE INDEX deal_stage_history_deal ON deal_stage_history (deal_id, changed_at);

CREATE TABLE tickets (
  id TEXT PRIMARY KEY NOT NULL,
  created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL,
  version INTEGER NOT NULL DEFAULT 0, deleted INTEGER NOT NULL DEFAULT 0, owner_id TEXT,
  number TEXT,
  customer_id TEXT NOT NULL REFERENCES customers (id) DEFERRABLE INITIALLY DEFERRED,
  contact_id TEXT,
  kind TEXT NOT NULL DEFAULT 'service'
    CHECK (kind IN ('service', 'complaint', 'return', 'question')),
  subject TEXT NOT NULL,
  description TEXT,
  priority TEXT NOT NULL DEFAULT 'normal' CHECK (priority IN ('low', 'normal', 'high', 'urgent')),
  status TEXT NOT NULL DEFAULT 'new'
    CHECK (status IN ('new', 'open', 'waiting', 'resolved', 'closed')),
  product_id TEXT,
  serial TEXT,
  opened_at INTEGER NOT NULL,
  sla_due_at INTEGER,
  resolved_at INTEGER,
  resolution TEXT,
  satisfaction INTEGER CHECK (satisfaction IS NULL OR satisfaction BETWEEN 1 AND 5),
  assignee_id TEXT
);
CREATE INDEX tickets_customer ON tickets (customer_id);
CREATE INDEX tickets_status ON tickets (status, sla_due_at) WHERE deleted = 0;
CREATE INDEX tickets_assignee ON tickets (assignee_id, status);

CREATE TABLE activities (
  id TEXT PRIMARY KEY NOT NULL,
  created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL,
  version INTEGER NOT NULL DEFAULT 0, deleted INTEGER NOT NULL DEFAULT 0, owner_id TEXT,
  kind TEXT NOT NULL
    CHECK (kind IN ('call', 'meeting', 'visit', 'email', 'sms', 'task', 'follow_up', 'note')),
  subject TEXT NOT NULL,
  body TEXT,
  starts_at INTEGER,       -- calls, meetings, visits
  ends_at INTEGER,
  due_at INTEGER,          -- tasks and follow-ups
  all_day INTEGER NOT NULL DEFAULT 0,
  done INTEGER NOT NULL DEFAULT 0,
  done_at INTEGER,
  outcome TEXT,
  direction TEXT CHECK (direction IS NULL OR direction IN ('in', 'out')),
  customer_id TEXT REFERENCES customers (id) DEFERRABLE INITIALLY DEFERRED,
  contact_id TEXT,
  deal_id TEXT,
  ticket_id TEXT,
  campaign_id TEXT,
  assignee_id TEXT,
  rrule TEXT,              -- RFC 5545 recurrence rule
  rrule_exceptions TEXT,   -- JSON array of the excluded occurrence starts
  reminder_minutes INTEGER
);
CREATE INDEX activities_customer ON activities (customer_id, starts_at);
CREATE INDEX activities_deal ON activities (deal_id) WHERE deal_id IS NOT NULL;
CREATE INDEX activities_ticket ON activities (ticket_id) WHERE ticket_id IS NOT NULL;
CREATE INDEX activities_assignee ON activities (assignee_id, done, starts_at);
CREATE INDEX activities_when ON activities (starts_at);
CREATE INDEX activities_due ON activities (due_at) WHERE due_at IS NOT NULL;

CREATE TABLE orders (
  id TEXT PRIMARY KEY NOT NULL,
  created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL,
  version INTEGER NOT NULL DEFAULT 0, deleted INTEGER NOT NULL DEFAULT 0, owner_id TEXT,
  number TEXT,
  customer_id TEXT NOT NULL REFERENCES customers (id) DEFERRABLE INITIALLY DEFERRED,
  deal_id TEXT,
  ordered_at INTEGER NOT NULL,
  status TEXT NOT NULL DEFAULT 'confirmed'
    CHECK (status IN ('quote', 'confirmed', 'delivered', 'invoiced', 'paid', 'cancelled', 'returned')),
  total INTEGER NOT NULL DEFAULT 0,
  currency TEXT NOT NULL DEFAULT 'IRR',
  notes TEXT
);
CREATE INDEX orders_customer ON orders (customer_id, ordered_at);
CREATE INDEX orders_when ON orders (ordered_at);

CREATE TABLE order_lines (
  id TEXT PRIMARY KEY NOT NULL,
  created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL,
  version INTEGER NOT NULL DEFAULT 0, deleted INTEGER NOT NULL DEFAULT 0, owner_id TEXT,
  order_id TEXT NOT NULL REFERENCES orders (id) DEFERRABLE INITIALLY DEFERRED,
  product_id TEXT REFERENCES products (id) DEFERRABLE INITIALLY DEFERRED,
  quantity REAL NOT NULL DEFAULT 1,
  unit_price INTEGER NOT NULL DEFAULT 0,
  discount_percent REAL NOT NULL DEFAULT 0,
  total INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX order_lines_order ON order_lines (order_id);
CREATE INDEX order_lines_product ON order_lines (product_id);

CREATE TABLE warranties (
  id TEXT PRIMARY KEY NOT NULL,
  created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL,
  version INTEGER NOT NULL DEFAULT 0, deleted INTEGER NOT NULL DEFAULT 0, owner_id TEXT,
  kind TEXT NOT NULL DEFAULT 'warranty' CHECK (kind IN ('warranty', 'contract')),
  customer_id TEXT NOT NULL REFERENCES customers (id) DEFERRABLE INITIALLY DEFERRED,
  product_id TEXT,
  order_id TEXT,
  serial TEXT,
  starts_on TEXT NOT NULL,
  ends_on TEXT NOT NULL,     -- the last day covered
  renewal_of TEXT,
  price INTEGER NOT NULL DEFAULT 0,
  currency TEXT NOT NULL DEFAULT 'IRR',
  notes TEXT
);
CREATE INDEX warranties_customer ON warranties (customer_id);
CREATE INDEX warranties_serial ON warranties (serial);
CREATE INDEX warranties_ends ON warranties (ends_on) WHERE deleted = 0;

CREATE TABLE surveys (
  id TEXT PRIMARY KEY NOT NULL,
  created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL,
  version INTEGER NOT NULL DEFAULT 0, deleted INTEGER NOT NULL DEFAULT 0, owner_id TEXT,
  customer_id TEXT NOT NULL REFERENCES customers (id) DEFERRABLE INITIALLY DEFERRED,
  ticket_id TEXT,
  kind TEXT NOT NULL CHECK (kind IN ('csat', 'nps')),
  score INTEGER NOT NULL,
  comment TEXT,
  answered_at INTEGER NOT NULL,
  CHECK ((kind = 'csat' AND score BETWEEN 1 AND 5) OR (kind = 'nps' AND score BETWEEN 0 AND 10))
);
CREATE INDEX surveys_customer ON surveys (customer_id);

CREATE TABLE saved_reports (
  id TEXT PRIMARY KEY NOT NULL,
  created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL,
  version INTEGER NOT NULL DEFAULT 0, deleted INTEGER NOT NULL DEFAULT 0, owner_id TEXT,
  name TEXT NOT NULL,
  definition TEXT NOT NULL,   -- JSON
  position INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE saved_filters (
  id TEXT PRIMARY KEY NOT NULL,
  created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL,
  version INTEGER NOT NULL DEFAULT 0, deleted INTEGER NOT NULL DEFAULT 0, owner_id TEXT,
  name TEXT NOT NULL,
  entity TEXT NOT NULL,
  definition TEXT NOT NULL,   -- JSON
  position INTEGER NOT NULL DEFAULT 0
);

-- Local tables: never synced.

-- Every user edit, in the same transaction as the row it changed. mutation_id is gapless.
-- patch is a JSON object of the changed fields; hlc is the hybrid logical clock of every
-- field in that patch (physical ms << 16 | counter), ordered with the node id in sync_state.
CREATE TABLE outbox (
  mutation_id INTEGER PRIMARY KEY AUTOINCREMENT,
  entity TEXT NOT NULL,
  record_id TEXT NOT NULL,
  op TEXT NOT NULL CHECK (op IN ('insert', 'update', 'delete', 'restore')),
  base_version INTEGER NOT NULL,
  patch TEXT NOT NULL,
  hlc INTEGER NOT NULL,
  created_at INTEGER NOT NULL
);

CREATE TABLE sync_state (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  client_id TEXT NOT NULL,
  server_url TEXT,
  user_login TEXT,
  cursor TEXT,
  server_epoch TEXT,
  hlc INTEGER NOT NULL DEFAULT 0,
  last_sync_at INTEGER
);

-- A field changed on both sides: the winner is in the row, the loser is kept here.
CREATE TABLE conflicts (
  id TEXT PRIMARY KEY NOT NULL,
  entity TEXT NOT NULL,
  record_id TEXT NOT NULL,
  field TEXT NOT NULL,
  base_value TEXT,         -- JSON
  local_value TEXT,        -- JSON
  remote_value TEXT,       -- JSON
  winner TEXT NOT NULL CHECK (winner IN ('local', 'remote')),
  created_at INTEGER NOT NULL,
  resolved INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX conflicts_open ON conflicts (resolved, created_at);

-- Search over customers and their people. The document is folded text (pv_fold) of the
-- name, the people, phones (by digits), emails, city, province and tags; kept by triggers.
CREATE VIRTUAL TABLE customer_search USING fts5 (
  doc,
  tokenize = 'unicode61 remove_diacritics 2',
  prefix = '1 2 3'
);

-- pv_search_live() is 0 while the store is in bulk mode (demo data, imports): the documents
-- of the rows written then are made in one statement when bulk mode ends.
CREATE TRIGGER customers_search_insert AFTER INSERT ON customers WHEN pv_search_live () BEGIN
  INSERT INTO customer_search (rowid, doc) VALUES (new.rowid, pv_customer_doc (new.id));
END;
CREATE TRIGGER customers_search_update AFTER UPDATE ON customers WHEN pv_search_live () BEGIN
  DELETE FROM customer_search WHERE rowid = new.rowid;
  INSERT INTO customer_search (rowid, doc)
    SELECT new.rowid, pv_customer_doc (new.id) WHERE new.deleted = 0;
END;
CREATE TRIGGER contacts_search_insert AFTER INSERT ON contacts WHEN pv_search_live () BEGIN
  UPDATE customer_search SET doc = pv_customer_doc (new.customer_id)
    WHERE rowid = (SELECT rowid FROM customers WHERE id = new.customer_id);
END;
CREATE TRIGGER contacts_search_update AFTER UPDATE ON contacts WHEN pv_search_live () BEGIN
  UPDATE customer_search SET doc = pv_customer_doc (new.customer_id)
    WHERE rowid IN (SELECT rowid FROM customers WHERE id IN (new.customer_id, old.customer_id));
END;

-- Names sort in the Persian alphabetical order, through an ICU collation key.
CREATE INDEX customers_by_name ON customers (pv_sort_key (name), id) WHERE deleted = 0;
