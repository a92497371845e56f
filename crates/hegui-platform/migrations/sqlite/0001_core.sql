-- hegui platform core: organisations, users, sessions, artifacts, analyses (the job
-- queue: one per package SHA-256 and ruleset), scans (one per submission).
-- Times are Unix milliseconds (BIGINT) so both backends read them the same way.

CREATE TABLE orgs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    province TEXT,
    created_ms BIGINT NOT NULL
);

CREATE TABLE users (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id BIGINT NOT NULL REFERENCES orgs(id),
    username TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL,
    created_ms BIGINT NOT NULL
);

CREATE TABLE tokens (
    token_sha256 TEXT PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users(id),
    created_ms BIGINT NOT NULL,
    expires_ms BIGINT NOT NULL
);

CREATE TABLE artifacts (
    sha256 TEXT PRIMARY KEY,
    size BIGINT NOT NULL,
    object_key TEXT NOT NULL,
    created_ms BIGINT NOT NULL
);

CREATE TABLE analyses (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    artifact_sha256 TEXT NOT NULL REFERENCES artifacts(sha256),
    ruleset TEXT NOT NULL,
    status TEXT NOT NULL,
    priority BIGINT NOT NULL,
    attempts BIGINT NOT NULL DEFAULT 0,
    max_attempts BIGINT NOT NULL,
    run_after_ms BIGINT NOT NULL,
    lease_owner TEXT,
    lease_until_ms BIGINT,
    started_ms BIGINT,
    finished_ms BIGINT,
    last_error TEXT,
    report_key TEXT,
    findings BIGINT,
    created_ms BIGINT NOT NULL,
    -- What else the engine was given besides the package ('' or 'listing:<id>'): the same
    -- package judged with a store listing is another analysis.
    inputs TEXT NOT NULL DEFAULT '',
    UNIQUE (artifact_sha256, ruleset, inputs)
);
CREATE INDEX analyses_claim ON analyses (status, priority DESC, id);

CREATE TABLE scans (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id BIGINT NOT NULL REFERENCES orgs(id),
    submitted_by BIGINT REFERENCES users(id),
    analysis_id BIGINT NOT NULL REFERENCES analyses(id),
    file_name TEXT,
    created_ms BIGINT NOT NULL
);
CREATE INDEX scans_org ON scans (org_id, id);
