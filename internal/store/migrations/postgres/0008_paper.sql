-- Paper ballots in the count (issue 16): a vote's casting mode, the board's paper figures, and the
-- batches of its double entry. The rows of a batch's entries live in a table of their own, made at
-- the batch's first entry and dropped when the batch is settled (internal/store/paper.go): nothing
-- here orders the paper ballots, and the settled totals are kept only for the whole count.

ALTER TABLE votes ADD COLUMN casting_mode TEXT NOT NULL DEFAULT 'electronic' CHECK (casting_mode IN ('electronic', 'paper', 'hybrid'));

CREATE TABLE vote_paper (
    vote_id      TEXT PRIMARY KEY REFERENCES votes (id),
    paper_issued INTEGER CHECK (paper_issued >= 0),
    slips_issued INTEGER CHECK (slips_issued >= 0),
    received     INTEGER CHECK (received >= 0),
    returned     INTEGER CHECK (returned >= 0),
    spoiled      INTEGER CHECK (spoiled >= 0),
    invalid      TEXT NOT NULL DEFAULT '[]',
    missing_note TEXT NOT NULL DEFAULT '',
    entered      INTEGER NOT NULL DEFAULT 0 CHECK (entered >= 0),
    counts       TEXT,
    totals       TEXT
);

CREATE TABLE paper_batches (
    vote_id     TEXT NOT NULL REFERENCES votes (id),
    number      INTEGER NOT NULL CHECK (number >= 1),
    size        INTEGER NOT NULL CHECK (size >= 1),
    status      TEXT NOT NULL CHECK (status IN ('entering', 'differs', 'settled')),
    entrants    TEXT NOT NULL,
    outcome     TEXT CHECK (outcome IN ('matched', 'third_entry', 'head')),
    differences INTEGER NOT NULL DEFAULT 0,
    settled_by  TEXT REFERENCES users (id),
    PRIMARY KEY (vote_id, number)
);

