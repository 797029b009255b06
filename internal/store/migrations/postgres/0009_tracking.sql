-- The tracking codes (ballot hashes) of ballots a delegate challenged at the kiosk (the Benaloh
-- challenge, docs/PROTOCOL.md §9): never counted, published in the record after the close, sorted.
-- While the vote is open they live in its live_spoiled_ table, sealed here at the close.
-- Upgrading while a vote is open would strand its spoiled ballots' table: refuse.
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM votes WHERE status = 'open') THEN
        RAISE EXCEPTION 'close or cancel every open vote before this upgrade';
    END IF;
END
$$;

CREATE TABLE spoiled_ballots (
    vote_id       TEXT NOT NULL REFERENCES votes (id),
    tracking_hash TEXT NOT NULL,
    PRIMARY KEY (vote_id, tracking_hash)
);
