-- The engine's error code of an analysis whose input nothing could be read from
-- (`unknown-artifact`, …); its message is in last_error. NULL for other failures.
ALTER TABLE analyses ADD COLUMN error_code TEXT;
