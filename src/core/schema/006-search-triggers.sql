-- Schema 6: a customer's search document is made again only when a column it reads changes.
--
-- The triggers of schema 1 made it again at every update of a customer or a contact: an
-- edit of the notes, a version pulled from the server, a stage moved on the board. Making
-- it reads the customer's contacts, folds every text and rewrites the FTS rows. The
-- columns below are those pv_customer_doc () reads (src/core/pv-search.c); a new one there
-- belongs here too (test /search/document-follows-edits).

DROP TRIGGER customers_search_update;
CREATE TRIGGER customers_search_update
  AFTER UPDATE OF id, deleted, name, city, province, national_id, economic_code, tags, emails,
                  phones ON customers
  WHEN pv_search_live () BEGIN
  DELETE FROM customer_search WHERE rowid = new.rowid;
  INSERT INTO customer_search (rowid, doc)
    SELECT new.rowid, pv_customer_doc (new.id) WHERE new.deleted = 0;
END;

DROP TRIGGER contacts_search_update;
CREATE TRIGGER contacts_search_update
  AFTER UPDATE OF customer_id, deleted, name, role, emails, phones ON contacts
  WHEN pv_search_live () BEGIN
  UPDATE customer_search SET doc = pv_customer_doc (new.customer_id)
    WHERE rowid IN (SELECT rowid FROM customers WHERE id IN (new.customer_id, old.customer_id));
END;
