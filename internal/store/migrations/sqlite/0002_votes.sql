-- The same schema as migrations/postgres, in SQLite's dialect. The ballot side is WITHOUT ROWID:
-- rows are kept in key order (random), never in the order they were written.
-- Votes: the lifecycle draft -> open -> closed -> certified -> published (or cancelled), the subjects
-- and the board, issuance (attendance), one-time codes kept only as keyed hashes, and the ballot box.
--
-- Secrecy: nothing on the ballot side (ballot_codes, ballots, receipts) has a timestamp, a sequence, or a column
-- that could reference a delegate, an issuance or a user. Issuances name the delegate and nothing else.

CREATE TABLE votes (
    id                      TEXT PRIMARY KEY,
    council_id              TEXT NOT NULL REFERENCES councils (id),
    kind                    TEXT NOT NULL CHECK (kind IN ('confidence', 'no_confidence')),
    title                   TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 300),
    session_name            TEXT NOT NULL,
    session_opens_on        TEXT NOT NULL CHECK (session_opens_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    vote_date               TEXT NOT NULL CHECK (vote_date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    rule_set                TEXT NOT NULL,
    percentage_base         TEXT NOT NULL CHECK (percentage_base IN ('total_delegates', 'ballots_received')),
    exclude_serious_illness BOOLEAN NOT NULL DEFAULT 0,
    status                  TEXT NOT NULL CHECK (status IN ('draft', 'open', 'closed', 'certified', 'published', 'cancelled')),
    cancel_reason           TEXT,
    trigger_json            TEXT,
    preparation             TEXT NOT NULL,
    warnings                TEXT NOT NULL,
    exclusions              TEXT NOT NULL,
    ballot_groups           TEXT NOT NULL,
    code_key                TEXT NOT NULL,
    total_delegates         INTEGER,
    code_limit              INTEGER,
    ballots_issued          INTEGER NOT NULL DEFAULT 0,
    ballots_cast            INTEGER NOT NULL DEFAULT 0,
    codes_generated         INTEGER NOT NULL DEFAULT 0,
    codes_voided            INTEGER NOT NULL DEFAULT 0,
    ballots_hash            TEXT,
    tally                   TEXT,
    tally_hash              TEXT,
    resolution_number       TEXT,
    adopted_on              TEXT,
    portal_posted_on        TEXT,
    created_at              TIMESTAMP NOT NULL,
    opened_at               TIMESTAMP,
    closed_at               TIMESTAMP,
    certified_at            TIMESTAMP,
    published_at            TIMESTAMP,
    CHECK (ballots_cast >= 0 AND ballots_cast <= ballots_issued),
    CHECK (total_delegates IS NULL OR ballots_issued <= total_delegates),
    CHECK (codes_voided >= 0 AND codes_voided <= codes_generated),
    CHECK (code_limit IS NULL OR codes_generated <= code_limit)
);
CREATE INDEX votes_council ON votes (council_id);
CREATE INDEX votes_status ON votes (status);

CREATE TABLE vote_subjects (
    vote_id      TEXT NOT NULL REFERENCES votes (id),
    official_id  TEXT NOT NULL REFERENCES officials (id),
    ord          INTEGER NOT NULL CHECK (ord >= 0),
    ballot_group INTEGER NOT NULL CHECK (ballot_group >= 0),
    full_name    TEXT NOT NULL,
    positions    TEXT NOT NULL,
    resigned_on  TEXT,
    PRIMARY KEY (vote_id, official_id),
    UNIQUE (vote_id, ord)
);

CREATE TABLE vote_board (
    vote_id    TEXT NOT NULL REFERENCES votes (id),
    user_id    TEXT NOT NULL REFERENCES users (id),
    board_role TEXT NOT NULL CHECK (board_role IN ('head', 'secretary', 'member')),
    PRIMARY KEY (vote_id, user_id)
);
CREATE UNIQUE INDEX vote_board_one_head ON vote_board (vote_id) WHERE board_role = 'head';
CREATE UNIQUE INDEX vote_board_one_secretary ON vote_board (vote_id) WHERE board_role = 'secretary';

CREATE TABLE certifications (
    vote_id      TEXT NOT NULL REFERENCES votes (id),
    user_id      TEXT NOT NULL REFERENCES users (id),
    tally_hash   TEXT NOT NULL,
    certified_at TIMESTAMP NOT NULL,
    PRIMARY KEY (vote_id, user_id)
);

-- Attendance: who received a ballot. No time (the audit log has it), no link to any code.
CREATE TABLE issuances (
    vote_id     TEXT NOT NULL REFERENCES votes (id),
    delegate_id TEXT NOT NULL REFERENCES delegates (id),
    PRIMARY KEY (vote_id, delegate_id)
) WITHOUT ROWID;

-- One-time codes, as HMAC-SHA-256 under the vote's key. While the vote is open, a spent code keeps a
-- tag of its submission and its receipt sealed under keys derived from the code itself, for a safe
-- retry; both are erased when the vote closes.
CREATE TABLE ballot_codes (
    vote_id        TEXT NOT NULL REFERENCES votes (id),
    code_hash      TEXT NOT NULL,
    state          TEXT NOT NULL CHECK (state IN ('unused', 'spent', 'void')),
    retry_tag      TEXT,
    sealed_receipt TEXT,
    PRIMARY KEY (vote_id, code_hash),
    CHECK (state = 'spent' OR (retry_tag IS NULL AND sealed_receipt IS NULL))
) WITHOUT ROWID;

-- The ballot box: a random id and one mark per subject. No time, no request data, no code, no receipt.
-- Closing a vote rewrites its ballots in id order, so neither row order nor row versions keep the
-- order of casting.
CREATE TABLE ballots (
    vote_id TEXT NOT NULL REFERENCES votes (id),
    id      TEXT NOT NULL,
    marks   TEXT NOT NULL,
    valid   BOOLEAN NOT NULL,
    PRIMARY KEY (vote_id, id)
) WITHOUT ROWID;

-- Receipts are kept apart from the ballots, with nothing linking one to the other: a published
-- receipt proves a ballot was counted, never what it said.
CREATE TABLE receipts (
    vote_id TEXT NOT NULL REFERENCES votes (id),
    receipt TEXT NOT NULL,
    PRIMARY KEY (vote_id, receipt)
) WITHOUT ROWID;
