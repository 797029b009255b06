-- The tracking codes (ballot hashes) of ballots a delegate challenged at the kiosk (the Benaloh
-- challenge, docs/PROTOCOL.md §9): never counted, published in the record after the close, sorted.
-- While the vote is open they live in its live_spoiled_ table, sealed here at the close.
-- Upgrading while a vote is open would strand its spoiled ballots' table: refuse.
CREATE TEMP TABLE upgrade_guard (open_votes INTEGER CHECK (open_votes = 0));
INSERT INTO upgrade_guard SELECT COUNT(*) FROM votes WHERE status = 'open';
DROP TABLE upgrade_guard;

CREATE TABLE spoiled_ballots (
    vote_id       TEXT NOT NULL REFERENCES votes (id),
    tracking_hash TEXT NOT NULL,
    PRIMARY KEY (vote_id, tracking_hash)
) WITHOUT ROWID;
