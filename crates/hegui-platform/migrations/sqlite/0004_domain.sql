-- The domain: apps and their versions, engine results with their findings (queryable by
-- app, SDK, rule, catalogue item and severity), the SDKs in each version, store listings.

-- The unified social credit code ties an enterprise to the apps stores list for it.
ALTER TABLE orgs ADD COLUMN credit_code TEXT;
CREATE UNIQUE INDEX orgs_credit_code ON orgs (credit_code);

CREATE TABLE apps (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    platform TEXT NOT NULL,
    app_key TEXT NOT NULL,
    name TEXT,
    owner_org_id BIGINT REFERENCES orgs(id),
    created_ms BIGINT NOT NULL,
    UNIQUE (platform, app_key)
);
CREATE INDEX apps_owner ON apps (owner_org_id);

CREATE TABLE versions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    app_id BIGINT NOT NULL REFERENCES apps(id),
    artifact_sha256 TEXT NOT NULL REFERENCES artifacts(sha256),
    version TEXT,
    signer_sha256 TEXT,
    created_ms BIGINT NOT NULL,
    UNIQUE (app_id, artifact_sha256)
);
CREATE INDEX versions_artifact ON versions (artifact_sha256);

-- One engine's report on one version; the latest of an engine is the current one.
CREATE TABLE results (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    version_id BIGINT NOT NULL REFERENCES versions(id),
    engine TEXT NOT NULL,
    format TEXT NOT NULL,
    analysis_id BIGINT REFERENCES analyses(id),
    report_key TEXT NOT NULL,
    report_sha256 TEXT NOT NULL,
    findings BIGINT NOT NULL,
    imported_by BIGINT REFERENCES users(id),
    created_ms BIGINT NOT NULL
);
CREATE INDEX results_version ON results (version_id, engine, id);

-- The current findings of each (version, engine); replaced when a newer result arrives.
CREATE TABLE findings (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    result_id BIGINT NOT NULL REFERENCES results(id),
    -- Its place in the result: with result_id, what the cites rows point at (written in
    -- batches, without waiting for generated ids).
    ordinal BIGINT NOT NULL,
    version_id BIGINT NOT NULL REFERENCES versions(id),
    app_id BIGINT NOT NULL REFERENCES apps(id),
    engine TEXT NOT NULL,
    code TEXT NOT NULL,
    severity TEXT NOT NULL,
    severity_rank BIGINT NOT NULL,
    party TEXT NOT NULL,
    sdk TEXT,
    pi TEXT,
    fingerprint TEXT NOT NULL,
    title_zh TEXT NOT NULL,
    title_en TEXT NOT NULL,
    message_zh TEXT NOT NULL,
    message_en TEXT NOT NULL,
    -- The cited catalogue items, comma-separated, for display; finding_cites indexes them.
    cites TEXT NOT NULL,
    UNIQUE (result_id, ordinal)
);
CREATE INDEX findings_version ON findings (version_id, engine);
CREATE INDEX findings_app ON findings (app_id, severity_rank);
CREATE INDEX findings_code ON findings (code);
CREATE INDEX findings_sdk ON findings (sdk);
CREATE INDEX findings_fingerprint ON findings (fingerprint);

CREATE TABLE finding_cites (
    result_id BIGINT NOT NULL REFERENCES results(id),
    ordinal BIGINT NOT NULL,
    cite TEXT NOT NULL,
    PRIMARY KEY (result_id, ordinal, cite)
);
CREATE INDEX finding_cites_cite ON finding_cites (cite, result_id, ordinal);

CREATE TABLE version_sdks (
    version_id BIGINT NOT NULL REFERENCES versions(id),
    sdk_id TEXT NOT NULL,
    name TEXT NOT NULL,
    vendor TEXT NOT NULL,
    category TEXT NOT NULL,
    PRIMARY KEY (version_id, sdk_id)
);
CREATE INDEX version_sdks_sdk ON version_sdks (sdk_id);

-- A store's listing of an app, as its feed line said it (the line kept whole).
CREATE TABLE listings (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id BIGINT NOT NULL REFERENCES orgs(id),
    store TEXT NOT NULL,
    package TEXT NOT NULL,
    version TEXT,
    developer TEXT,
    licence_id TEXT,
    line TEXT NOT NULL,
    object_key TEXT,
    scan_id BIGINT REFERENCES scans(id),
    created_ms BIGINT NOT NULL
);
CREATE INDEX listings_org ON listings (org_id, id);
CREATE INDEX listings_package ON listings (package);
