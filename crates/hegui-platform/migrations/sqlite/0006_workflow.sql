-- The rest of the rectification workflow (MIIT notice 164): escalation steps with their
-- documents, the operator's rectified version and statement, the daily deadline job,
-- in-app messages and mail, clues from provincial bureaus, complaints from the public,
-- public notices.

-- Where notifications are mailed, when a user wants mail.
ALTER TABLE users ADD COLUMN email TEXT;

-- The daily job: the day it sent the "deadline near" message and the day it marked the
-- case overdue (each once).
ALTER TABLE cases ADD COLUMN reminded_on TEXT;
ALTER TABLE cases ADD COLUMN overdue_on TEXT;
-- The clue the case came from, if any.
ALTER TABLE cases ADD COLUMN clue_id BIGINT;

-- Files attached to a case, an escalation step, a clue or a complaint; the bytes are in
-- the object store under documents/<sha256>.
CREATE TABLE documents (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    -- case | clue | complaint
    owner_kind TEXT NOT NULL,
    owner_id BIGINT NOT NULL,
    -- statement | decision | evidence | screenshot | other
    kind TEXT NOT NULL,
    escalation_id BIGINT,
    file_name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    size BIGINT NOT NULL,
    uploaded_by BIGINT REFERENCES users(id),
    created_ms BIGINT NOT NULL
);
CREATE INDEX documents_owner ON documents (owner_kind, owner_id, id);

-- Escalation steps, in their fixed order: public notice, takedown request to stores,
-- administrative penalty, blacklist. One record per step and case.
CREATE TABLE escalations (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id BIGINT NOT NULL REFERENCES cases(id),
    step TEXT NOT NULL,
    ordinal BIGINT NOT NULL,
    -- The decision's document number (文号), the stores asked, the penalty: as given.
    reference TEXT,
    detail TEXT,
    note TEXT,
    decided_by BIGINT NOT NULL REFERENCES users(id),
    org_id BIGINT NOT NULL REFERENCES orgs(id),
    created_ms BIGINT NOT NULL,
    UNIQUE (case_id, step)
);

-- The operator's rectified version of a case: its scan and statement. When the scan is
-- recorded the worker compares it with the case (the re-test).
CREATE TABLE submissions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id BIGINT NOT NULL REFERENCES cases(id),
    scan_id BIGINT NOT NULL REFERENCES scans(id),
    analysis_id BIGINT NOT NULL REFERENCES analyses(id),
    statement TEXT NOT NULL,
    submitted_by BIGINT NOT NULL REFERENCES users(id),
    created_ms BIGINT NOT NULL,
    version_id BIGINT REFERENCES versions(id),
    -- The outcome once compared: compared | other-app
    outcome TEXT,
    compared_ms BIGINT
);
CREATE INDEX submissions_analysis ON submissions (analysis_id, compared_ms);
CREATE INDEX submissions_case ON submissions (case_id, id);

-- In-app messages, to an organisation (every user of it sees them).
CREATE TABLE messages (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id BIGINT NOT NULL REFERENCES orgs(id),
    case_id BIGINT REFERENCES cases(id),
    kind TEXT NOT NULL,
    subject_zh TEXT NOT NULL,
    subject_en TEXT NOT NULL,
    body TEXT NOT NULL,
    created_ms BIGINT NOT NULL,
    read_ms BIGINT
);
CREATE INDEX messages_org ON messages (org_id, id);

-- Mail waiting for the SMTP relay; sent by the mailer, retried with back-off.
CREATE TABLE mail_outbox (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    to_addr TEXT NOT NULL,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    created_ms BIGINT NOT NULL,
    next_ms BIGINT NOT NULL,
    attempts BIGINT NOT NULL DEFAULT 0,
    sent_ms BIGINT,
    last_error TEXT
);
CREATE INDEX mail_outbox_due ON mail_outbox (sent_ms, next_ms);

-- Violation clues a provincial bureau files each month (due the 15th, or the next
-- working day).
CREATE TABLE clues (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id BIGINT NOT NULL REFERENCES orgs(id),
    province TEXT NOT NULL,
    -- The month reported on, YYYY-MM.
    period TEXT NOT NULL,
    app_name TEXT NOT NULL,
    app_id BIGINT REFERENCES apps(id),
    store TEXT,
    -- The notice-164 task the problem falls under (1.1 … 4.2 style ids of the catalogue).
    task TEXT NOT NULL,
    description TEXT NOT NULL,
    filed_by BIGINT NOT NULL REFERENCES users(id),
    filed_on TEXT NOT NULL,
    created_ms BIGINT NOT NULL,
    scan_id BIGINT REFERENCES scans(id),
    case_id BIGINT REFERENCES cases(id)
);
CREATE INDEX clues_period ON clues (period, org_id);

-- Complaints from the public: no account; a reference number to check the status.
CREATE TABLE complaints (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    reference TEXT NOT NULL UNIQUE,
    app_name TEXT NOT NULL,
    store TEXT,
    problem TEXT NOT NULL,
    description TEXT NOT NULL,
    contact TEXT,
    -- received | accepted | merged | rejected | resolved
    status TEXT NOT NULL,
    merged_into BIGINT REFERENCES complaints(id),
    app_id BIGINT REFERENCES apps(id),
    triaged_by BIGINT REFERENCES users(id),
    triage_note TEXT,
    -- A keyed hash of the sender's address, for the rate limit; never the address.
    client TEXT NOT NULL,
    -- The challenge answered, once only.
    challenge TEXT NOT NULL UNIQUE,
    created_ms BIGINT NOT NULL,
    updated_ms BIGINT NOT NULL
);
CREATE INDEX complaints_status ON complaints (status, id);
CREATE INDEX complaints_client ON complaints (client, created_ms);

-- Public notices: apps, their problems and the action required, drafted from escalated
-- cases and recurrences, reviewed by another person before publishing.
CREATE TABLE notices (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    title TEXT NOT NULL,
    org_id BIGINT NOT NULL REFERENCES orgs(id),
    authority TEXT NOT NULL,
    -- draft | published
    status TEXT NOT NULL,
    created_by BIGINT NOT NULL REFERENCES users(id),
    created_ms BIGINT NOT NULL,
    reviewed_by BIGINT REFERENCES users(id),
    published_ms BIGINT
);

CREATE TABLE notice_items (
    notice_id BIGINT NOT NULL REFERENCES notices(id),
    ordinal BIGINT NOT NULL,
    app_id BIGINT NOT NULL REFERENCES apps(id),
    app_name TEXT NOT NULL,
    operator TEXT,
    version TEXT,
    problems TEXT NOT NULL,
    action TEXT NOT NULL,
    -- escalation | recurrence
    source TEXT NOT NULL,
    case_id BIGINT REFERENCES cases(id),
    PRIMARY KEY (notice_id, ordinal)
);

-- Settings the platform makes for itself once (the complaint challenge key).
CREATE TABLE settings (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
