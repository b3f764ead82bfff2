-- Schema 5: what the customers list sorts by, kept per customer by triggers.
--
-- Last contact, next activity and lifetime revenue are aggregates over a customer's
-- activities and orders; the owner is sorted by the owner's name, in another table.
-- Sorting a million customers by them in the query took 1 to 12 s (bench-customer-sort).
-- customer_facts keeps them, with the columns the filter bar compares, so that the list
-- reads each order from one index. It is local and derived, like customer_search: never
-- synced, never edited by a user, made again from the synced tables when needed
-- (pv_store_rebuild_customer_facts). One row per customer not deleted, keyed by the
-- customer's rowid, which is what the list works with; always right once a transaction
-- has committed.
--
-- The figures:
--   last contact:  when the latest done call, meeting, visit, email or sms began (or was
--                  due, or was done), as the kartabl counts it for its quiet customers;
--   next activity: the earliest activity not done (an overdue one comes first);
--   revenue:       the orders the customer page counts, in the customer's main currency
--                  (the one of most of them), in its smallest unit.
-- They are written twice, for the two ways they are read: customer_facts_one for one
-- customer (the triggers: a few rows through the customer's indexes) and
-- customer_facts_all for every customer (one pass over activities and orders: 6 s rather
-- than 55 s at 100k customers). The test /customer-facts/definitions keeps them equal.

CREATE VIEW customer_facts_one AS
SELECT f.customer_rowid AS customer_rowid, f.last_contact_at AS last_contact_at,
  f.next_activity_at AS next_activity_at, f.currency AS currency,
  COALESCE ((SELECT SUM (o.total) FROM orders o
    WHERE o.customer_id = f.id AND o.currency = f.currency AND o.deleted = 0
    AND o.status NOT IN ('quote', 'cancelled', 'returned')), 0) AS revenue,
  f.owner_key AS owner_key, f.owner_id AS owner_id, f.stage AS stage,
  f.relation AS relation, f.city AS city, f.name_key AS name_key
FROM (SELECT c.rowid AS customer_rowid, c.id AS id, c.owner_id AS owner_id,
        c.stage AS stage, c.relation AS relation, c.city AS city,
        pv_sort_key (c.name) AS name_key,
        (SELECT MAX (COALESCE (a.starts_at, a.due_at, a.done_at)) FROM activities a
          WHERE a.customer_id = c.id AND a.deleted = 0 AND a.done = 1
          AND a.kind IN ('call', 'meeting', 'visit', 'email', 'sms')) AS last_contact_at,
        (SELECT MIN (COALESCE (a.starts_at, a.due_at)) FROM activities a
          WHERE a.customer_id = c.id AND a.deleted = 0 AND a.done = 0) AS next_activity_at,
        (SELECT o.currency FROM orders o
          WHERE o.customer_id = c.id AND o.deleted = 0
          AND o.status NOT IN ('quote', 'cancelled', 'returned')
          GROUP BY o.currency ORDER BY COUNT(*) DESC, o.currency LIMIT 1) AS currency,
        (SELECT pv_sort_key (u.name) FROM users u WHERE u.id = c.owner_id) AS owner_key
      FROM customers c WHERE c.deleted = 0) f;

CREATE VIEW customer_facts_all AS
SELECT c.rowid AS customer_rowid, a.last_contact_at AS last_contact_at,
  a.next_activity_at AS next_activity_at, o.currency AS currency,
  COALESCE (o.revenue, 0) AS revenue, u.owner_key AS owner_key, c.owner_id AS owner_id,
  c.stage AS stage, c.relation AS relation, c.city AS city,
  pv_sort_key (c.name) AS name_key
FROM customers c
LEFT JOIN (SELECT a.customer_id AS customer_id,
             MAX (CASE WHEN a.done = 1 AND a.kind IN ('call', 'meeting', 'visit', 'email', 'sms')
                  THEN COALESCE (a.starts_at, a.due_at, a.done_at) END) AS last_contact_at,
             MIN (CASE WHEN a.done = 0 THEN COALESCE (a.starts_at, a.due_at) END)
               AS next_activity_at
           FROM activities a WHERE a.deleted = 0 GROUP BY a.customer_id) a
  ON a.customer_id = c.id
LEFT JOIN (SELECT customer_id, currency, revenue
           FROM (SELECT o.customer_id AS customer_id, o.currency AS currency,
                   SUM (o.total) AS revenue,
                   ROW_NUMBER () OVER (PARTITION BY o.customer_id
                                       ORDER BY COUNT(*) DESC, o.currency) AS rank
                 FROM orders o WHERE o.deleted = 0
                 AND o.status NOT IN ('quote', 'cancelled', 'returned')
                 GROUP BY o.customer_id, o.currency)
           WHERE rank = 1) o
  ON o.customer_id = c.id
LEFT JOIN (SELECT id, pv_sort_key (name) AS owner_key FROM users) u
  ON u.id = c.owner_id
WHERE c.deleted = 0;

CREATE TABLE customer_facts (
  customer_rowid INTEGER PRIMARY KEY,
  last_contact_at INTEGER,
  next_activity_at INTEGER,
  currency TEXT,
  revenue INTEGER NOT NULL DEFAULT 0,
  owner_key BLOB,          -- pv_sort_key of the owner's name
  -- The customer's columns the filter bar compares, as in customers.
  owner_id TEXT, stage TEXT, relation TEXT, city TEXT,
  name_key BLOB            -- pv_sort_key of the customer's name: ties in Persian order
);

-- The list's orders: the value (customers without one after the others, read backwards
-- for descending, like the city), then the name; then the filter columns, so that a
-- filtered list is checked from the index too.
CREATE INDEX customer_facts_by_last_contact
  ON customer_facts (last_contact_at IS NULL, last_contact_at, name_key, customer_rowid,
                     stage, relation, owner_id, city);
CREATE INDEX customer_facts_by_next_activity
  ON customer_facts (next_activity_at IS NULL, next_activity_at, name_key, customer_rowid,
                     stage, relation, owner_id, city);
CREATE INDEX customer_facts_by_revenue
  ON customer_facts (revenue, name_key, customer_rowid, stage, relation, owner_id, city);
CREATE INDEX customer_facts_by_owner
  ON customer_facts (owner_key IS NULL, owner_key, owner_id, name_key, customer_rowid,
                     stage, relation, city);

INSERT INTO customer_facts SELECT * FROM customer_facts_all;

-- The customers whose row must be made again, after a change that may lower a figure.
-- Triggers only note the customer here (a merge moves thousands of activities in one
-- transaction: one note each, not thousands of recounts; written with NOT EXISTS rather
-- than OR IGNORE, which the upsert of a statement that fires the trigger would override);
-- the store makes their rows from customer_facts_one just before it commits (pv-store.c,
-- flush_customer_facts), so a committed transaction never leaves one stale.
-- Like the search documents, nothing is noted while the store is in bulk mode
-- (pv_search_live () is 0): the whole table is made again in one go when it ends.
CREATE TABLE customer_facts_stale (
  customer_id TEXT PRIMARY KEY NOT NULL
) WITHOUT ROWID;

-- A new customer has, as a rule, no activity or order yet: its row is written at once,
-- with no figures. (One that has some, pulled before it, is counted at the commit.)
CREATE TRIGGER customer_facts_customer_insert AFTER INSERT ON customers
  WHEN pv_search_live () AND new.deleted = 0 BEGIN
  INSERT OR REPLACE INTO customer_facts
    SELECT new.rowid, NULL, NULL, NULL, 0,
           (SELECT pv_sort_key (u.name) FROM users u WHERE u.id = new.owner_id),
           new.owner_id, new.stage, new.relation, new.city, pv_sort_key (new.name);
  INSERT INTO customer_facts_stale SELECT new.id
    WHERE (EXISTS (SELECT 1 FROM activities WHERE customer_id = new.id)
           OR EXISTS (SELECT 1 FROM orders WHERE customer_id = new.id))
    AND NOT EXISTS (SELECT 1 FROM customer_facts_stale WHERE customer_id = new.id);
END;

-- (Pulled changes and edits write every column they carry: a trigger does its work only
-- when a column it depends on really changed.)
CREATE TRIGGER customer_facts_customer_update
  AFTER UPDATE OF id, deleted, owner_id, stage, relation, city, name ON customers
  WHEN pv_search_live () AND (old.id IS NOT new.id OR old.deleted IS NOT new.deleted) BEGIN
  DELETE FROM customer_facts WHERE customer_rowid = old.rowid;
  INSERT INTO customer_facts_stale SELECT new.id
    WHERE NOT EXISTS (SELECT 1 FROM customer_facts_stale WHERE customer_id = new.id);
END;

-- The customer's own columns: copied into its row as they are.
CREATE TRIGGER customer_facts_customer_columns
  AFTER UPDATE OF owner_id, stage, relation, city, name ON customers
  WHEN pv_search_live () AND old.id IS new.id AND old.deleted IS new.deleted
  AND (old.owner_id IS NOT new.owner_id OR old.stage IS NOT new.stage
       OR old.relation IS NOT new.relation OR old.city IS NOT new.city
       OR old.name IS NOT new.name) BEGIN
  UPDATE customer_facts SET
    owner_id = new.owner_id, stage = new.stage, relation = new.relation, city = new.city,
    owner_key = (SELECT pv_sort_key (u.name) FROM users u WHERE u.id = new.owner_id),
    name_key = pv_sort_key (new.name)
  WHERE customer_rowid = new.rowid;
END;

CREATE TRIGGER customer_facts_customer_delete AFTER DELETE ON customers BEGIN
  DELETE FROM customer_facts WHERE customer_rowid = old.rowid;
END;

-- A new activity or order (what a pull brings most) moves a figure one way only: it is
-- added to the row as it is, with no recount. (A row that does not exist yet is made when
-- its customer is.)
CREATE TRIGGER customer_facts_activity_insert AFTER INSERT ON activities
  WHEN pv_search_live () AND new.customer_id IS NOT NULL AND new.deleted = 0 BEGIN
  UPDATE customer_facts SET
    last_contact_at = CASE
      WHEN new.done = 1 AND new.kind IN ('call', 'meeting', 'visit', 'email', 'sms')
           AND COALESCE (new.starts_at, new.due_at, new.done_at)
               > COALESCE (last_contact_at, -9223372036854775807)
      THEN COALESCE (new.starts_at, new.due_at, new.done_at) ELSE last_contact_at END,
    next_activity_at = CASE
      WHEN new.done = 0
           AND COALESCE (new.starts_at, new.due_at)
               < COALESCE (next_activity_at, 9223372036854775807)
      THEN COALESCE (new.starts_at, new.due_at) ELSE next_activity_at END
  WHERE customer_rowid = (SELECT rowid FROM customers WHERE id = new.customer_id);
END;

CREATE TRIGGER customer_facts_activity_update
  AFTER UPDATE OF customer_id, deleted, done, done_at, starts_at, due_at, kind ON activities
  WHEN pv_search_live ()
  AND (old.customer_id IS NOT new.customer_id OR old.deleted IS NOT new.deleted
       OR old.done IS NOT new.done OR old.done_at IS NOT new.done_at
       OR old.starts_at IS NOT new.starts_at OR old.due_at IS NOT new.due_at
       OR old.kind IS NOT new.kind) BEGIN
  INSERT INTO customer_facts_stale
    SELECT value FROM (SELECT new.customer_id AS value UNION SELECT old.customer_id)
    WHERE value IS NOT NULL
    AND NOT EXISTS (SELECT 1 FROM customer_facts_stale WHERE customer_id = value);
END;

CREATE TRIGGER customer_facts_activity_delete AFTER DELETE ON activities
  WHEN pv_search_live () AND old.customer_id IS NOT NULL BEGIN
  INSERT INTO customer_facts_stale SELECT old.customer_id
    WHERE NOT EXISTS (SELECT 1 FROM customer_facts_stale WHERE customer_id = old.customer_id);
END;

CREATE TRIGGER customer_facts_order_insert AFTER INSERT ON orders
  WHEN pv_search_live () AND new.deleted = 0
  AND new.status NOT IN ('quote', 'cancelled', 'returned') BEGIN
  -- In the main currency (or the first counted order): added.
  UPDATE customer_facts SET currency = new.currency, revenue = revenue + new.total
  WHERE customer_rowid = (SELECT rowid FROM customers WHERE id = new.customer_id)
  AND (currency IS NULL OR currency = new.currency);
  -- In another currency, which may become the main one: counted again.
  INSERT INTO customer_facts_stale SELECT new.customer_id
    WHERE EXISTS (SELECT 1 FROM customer_facts
                  WHERE customer_rowid = (SELECT rowid FROM customers WHERE id = new.customer_id)
                  AND currency != new.currency)
    AND NOT EXISTS (SELECT 1 FROM customer_facts_stale WHERE customer_id = new.customer_id);
END;

CREATE TRIGGER customer_facts_order_update
  AFTER UPDATE OF customer_id, deleted, status, total, currency ON orders
  WHEN pv_search_live ()
  AND (old.customer_id IS NOT new.customer_id OR old.deleted IS NOT new.deleted
       OR old.status IS NOT new.status OR old.total IS NOT new.total
       OR old.currency IS NOT new.currency) BEGIN
  INSERT INTO customer_facts_stale
    SELECT value FROM (SELECT new.customer_id AS value UNION SELECT old.customer_id)
    WHERE value IS NOT NULL
    AND NOT EXISTS (SELECT 1 FROM customer_facts_stale WHERE customer_id = value);
END;

CREATE TRIGGER customer_facts_order_delete AFTER DELETE ON orders
  WHEN pv_search_live () BEGIN
  INSERT INTO customer_facts_stale SELECT old.customer_id
    WHERE NOT EXISTS (SELECT 1 FROM customer_facts_stale WHERE customer_id = old.customer_id);
END;

-- An owner named, renamed or removed: the owner's customers sort again.
CREATE TRIGGER customer_facts_user_insert AFTER INSERT ON users
  WHEN pv_search_live () BEGIN
  UPDATE customer_facts SET owner_key = pv_sort_key (new.name) WHERE owner_id = new.id;
END;

CREATE TRIGGER customer_facts_user_update AFTER UPDATE OF id, name ON users
  WHEN pv_search_live () AND (old.id IS NOT new.id OR old.name IS NOT new.name) BEGIN
  UPDATE customer_facts SET owner_key = NULL WHERE owner_id = old.id;
  UPDATE customer_facts SET owner_key = pv_sort_key (new.name) WHERE owner_id = new.id;
END;

CREATE TRIGGER customer_facts_user_delete AFTER DELETE ON users BEGIN
  UPDATE customer_facts SET owner_key = NULL WHERE owner_id = old.id;
END;

-- The other columns of the list: by kind, and by relation in the order of its menu, each
-- then by name, with the filter columns as schema 4's indexes have them.
CREATE INDEX customers_by_kind
  ON customers (kind, pv_sort_key (name), id, stage, relation, owner_id, city)
  WHERE deleted = 0;
CREATE INDEX customers_by_relation
  ON customers (CASE relation WHEN 'customer' THEN 0 WHEN 'reseller' THEN 1
                WHEN 'supplier' THEN 2 WHEN 'partner' THEN 3 ELSE 4 END,
                pv_sort_key (name), id, stage, relation, owner_id, city)
  WHERE deleted = 0;
