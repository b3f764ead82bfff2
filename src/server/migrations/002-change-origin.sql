-- The client whose push made a change that it already holds exactly as the server does:
-- a pull by that client skips it (no echo of its own edits). NULL when the server's record
-- differs from what the client sent (a conflict, a merge with others, fields the server
-- filled in), so the client pulls the server's word.
ALTER TABLE changes ADD COLUMN origin TEXT;
