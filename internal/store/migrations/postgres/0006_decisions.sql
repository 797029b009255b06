-- The council's decisions in a vote's course, the signed list of delegates receiving a ballot, the
-- venue, recounts and superseded resolutions, and the demo marker.

CREATE TABLE vote_decisions (
    id          TEXT PRIMARY KEY,
    vote_id     TEXT NOT NULL REFERENCES votes (id),
    kind        TEXT NOT NULL CHECK (kind IN ('list_approved', 'board_elected', 'board_confirmed', 'percentage_base', 'submission', 'recount')),
    number      TEXT NOT NULL CHECK (length(number) BETWEEN 1 AND 60),
    decided_on  TEXT NOT NULL,
    base        TEXT CHECK (base IS NULL OR base IN ('total_delegates', 'ballots_received')),
    note        TEXT NOT NULL DEFAULT '',
    recorded_by TEXT NOT NULL REFERENCES users (id),
    recorded_at TIMESTAMPTZ NOT NULL,
    CHECK ((kind = 'percentage_base') = (base IS NOT NULL))
);
CREATE INDEX vote_decisions_vote ON vote_decisions (vote_id);

ALTER TABLE votes ADD COLUMN venue TEXT;
ALTER TABLE votes ADD COLUMN signed_issuance INTEGER CHECK (signed_issuance IS NULL OR signed_issuance >= 0);

-- A published resolution is never edited: after a recount the council adopts a new one, which says it
-- replaces this one; the old one stays here and its frozen files under a name of their own.
CREATE TABLE superseded_resolutions (
    vote_id           TEXT NOT NULL REFERENCES votes (id),
    round             INTEGER NOT NULL CHECK (round >= 1),
    resolution_number TEXT NOT NULL,
    adopted_on        TEXT NOT NULL,
    fingerprint       TEXT NOT NULL,
    superseded_at     TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (vote_id, round)
);

ALTER TABLE councils ADD COLUMN demo BOOLEAN NOT NULL DEFAULT FALSE;
