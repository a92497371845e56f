-- Rectification cases (MIIT notice 164): opened by an authority on an app version from
-- selected findings, notified with a deadline in working days, acknowledged and rectified
-- by the operator, re-tested, closed or escalated. Every transition is kept.

CREATE TABLE cases (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    app_id BIGINT NOT NULL REFERENCES apps(id),
    version_id BIGINT NOT NULL REFERENCES versions(id),
    opened_by_org BIGINT NOT NULL REFERENCES orgs(id),
    opened_by BIGINT NOT NULL REFERENCES users(id),
    case_type TEXT NOT NULL,
    deadline_days BIGINT NOT NULL,
    state TEXT NOT NULL,
    -- The day of notification and the last day to rectify (ISO dates, Beijing time).
    notified_on TEXT,
    deadline TEXT,
    -- The rectified version the last re-test compared.
    retest_version_id BIGINT REFERENCES versions(id),
    created_ms BIGINT NOT NULL,
    closed_ms BIGINT
);
CREATE INDEX cases_app ON cases (app_id, id);
CREATE INDEX cases_state ON cases (state, deadline);

-- The findings a case is about, by fingerprint (stable across versions).
CREATE TABLE case_findings (
    case_id BIGINT NOT NULL REFERENCES cases(id),
    fingerprint TEXT NOT NULL,
    code TEXT NOT NULL,
    title_zh TEXT NOT NULL,
    title_en TEXT NOT NULL,
    -- open | fixed | remaining
    status TEXT NOT NULL,
    PRIMARY KEY (case_id, fingerprint)
);

CREATE TABLE case_events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id BIGINT NOT NULL REFERENCES cases(id),
    at_ms BIGINT NOT NULL,
    user_id BIGINT REFERENCES users(id),
    actor TEXT NOT NULL,
    from_state TEXT,
    to_state TEXT NOT NULL,
    note TEXT
);
CREATE INDEX case_events_case ON case_events (case_id, id);

-- A finding of a closed case that reappears in a later version of the app: the seed's
-- "problems repeated across versions", proposed for the public-notice list.
CREATE TABLE recurrences (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    app_id BIGINT NOT NULL REFERENCES apps(id),
    case_id BIGINT NOT NULL REFERENCES cases(id),
    fingerprint TEXT NOT NULL,
    code TEXT NOT NULL,
    earlier_version_id BIGINT NOT NULL REFERENCES versions(id),
    later_version_id BIGINT NOT NULL REFERENCES versions(id),
    proposed_for_notice BIGINT NOT NULL DEFAULT 1,
    created_ms BIGINT NOT NULL,
    UNIQUE (case_id, fingerprint, later_version_id)
);
CREATE INDEX recurrences_app ON recurrences (app_id, id);
