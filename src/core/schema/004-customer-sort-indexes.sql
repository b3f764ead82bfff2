-- Schema 4: the sort orders of the customers list, from indexes. No new tables.
--
-- A click on the City or Stage header sorts the whole list; without these the rowids of a
-- million customers were sorted in a temporary B-tree, an ICU collation key made for each
-- row (bench-customer-sort). Each index holds the very expressions of the list's ORDER BY
-- (pv-customer-filter.c), so SQLite reads the list in order, forwards for ascending and
-- backwards for descending. Like customers_by_name, only customers not deleted. The
-- columns the filter bar compares exactly (stage, relation, owner, city) come last, so that
-- a filtered list is checked from the index too, not from a million rows of the table.

-- By name (the list's first order): schema 1's index again, with the filter columns.
DROP INDEX IF EXISTS customers_by_name;
CREATE INDEX customers_by_name
  ON customers (pv_sort_key (name), id, stage, relation, owner_id, city) WHERE deleted = 0;

-- By city in Persian alphabetical order (customers without a city after the others), then
-- by name.
CREATE INDEX IF NOT EXISTS customers_by_city
  ON customers (city IS NULL, pv_sort_key (city), pv_sort_key (name), id,
                stage, relation, owner_id, city)
  WHERE deleted = 0;

-- By lifecycle stage in the order of the lifecycle, then by name.
CREATE INDEX IF NOT EXISTS customers_by_stage
  ON customers (CASE stage WHEN 'lead' THEN 0 WHEN 'prospect' THEN 1 WHEN 'customer' THEN 2
                WHEN 'loyal' THEN 3 ELSE 4 END, pv_sort_key (name), id,
                stage, relation, owner_id, city)
  WHERE deleted = 0;
