-- The audit log: append-only, hash-chained (see src/audit.rs). `audit_head` holds the
-- latest hash and the number of rows written; appends update it first, which serialises them.

CREATE TABLE audit_log (
    seq BIGINT PRIMARY KEY,
    at_ms BIGINT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    object TEXT NOT NULL,
    detail TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);

CREATE TABLE audit_head (
    id BIGINT PRIMARY KEY,
    hash TEXT NOT NULL,
    n BIGINT NOT NULL
);
INSERT INTO audit_head (id, hash, n)
VALUES (1, '0000000000000000000000000000000000000000000000000000000000000000', 0);

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;

CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;
