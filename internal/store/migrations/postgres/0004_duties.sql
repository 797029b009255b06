-- Separation of duties, the sealed ballot box and the per-vote audit chain (security review).
--
-- The ballot side of a vote lives in per-vote tables while the vote can be cast on (created with the
-- vote, dropped at the close): live_ballots_<id>, live_receipts_<id>, live_codes_<id>. The close moves
-- their rows, sorted, into the shared tables below in one transaction and drops the live tables, so no
-- relation file that held a row version written while the vote was open survives the close. Those
-- tables are made by the application at run time (internal/store/ballotside.go), not here.

-- Upgrading while a vote is open, or with codes printed for a draft, would strand them: refuse.
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM votes WHERE status = 'open' OR (status = 'draft' AND codes_generated > 0)) THEN
        RAISE EXCEPTION 'close or cancel every open vote, and every draft with printed codes, before this upgrade';
    END IF;
END
$$;

-- Codes of closed votes were kept as keyed hashes whose key the close now destroys; they are replaced
-- by unkeyed digests of each code with its final state (codes carry 128 bits: safe to hash unkeyed).
DROP TABLE ballot_codes;
CREATE TABLE sealed_codes (
    digest  TEXT PRIMARY KEY,
    vote_id TEXT NOT NULL REFERENCES votes (id)
);
CREATE INDEX sealed_codes_vote ON sealed_codes (vote_id);

-- Which vote a code of a vote not yet closed belongs to. Written when codes are printed, deleted at
-- the close or the cancellation; casting never touches it.
CREATE TABLE code_routes (
    code_id TEXT PRIMARY KEY,
    vote_id TEXT NOT NULL REFERENCES votes (id)
);
CREATE INDEX code_routes_vote ON code_routes (vote_id);

UPDATE votes SET code_key = '' WHERE status <> 'draft';
ALTER TABLE votes ADD COLUMN announced_at TIMESTAMPTZ;
ALTER TABLE votes ADD COLUMN wipe_pending BOOLEAN NOT NULL DEFAULT FALSE;

ALTER TABLE vote_board ADD COLUMN absent BOOLEAN NOT NULL DEFAULT FALSE;

-- A staff account may be the account of a person on the roster (conflict of interest).
ALTER TABLE users ADD COLUMN official_id TEXT REFERENCES officials (id);

-- A closed vote is cancelled by a majority of its board, each in their own session.
CREATE TABLE cancel_confirmations (
    vote_id      TEXT NOT NULL REFERENCES votes (id),
    user_id      TEXT NOT NULL REFERENCES users (id),
    reason       TEXT NOT NULL CHECK (length(reason) BETWEEN 1 AND 500),
    confirmed_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (vote_id, user_id)
);

-- While a vote is open or uncertified, the admin resets a board member's password or deactivates the
-- account only with the board head's approval, used once.
CREATE TABLE account_approvals (
    id          TEXT PRIMARY KEY,
    vote_id     TEXT NOT NULL REFERENCES votes (id),
    user_id     TEXT NOT NULL REFERENCES users (id),
    change      TEXT NOT NULL CHECK (change IN ('password', 'deactivate')),
    approved_by TEXT NOT NULL REFERENCES users (id),
    approved_at TIMESTAMPTZ NOT NULL,
    used_at     TIMESTAMPTZ
);
CREATE INDEX account_approvals_user ON account_approvals (user_id);

-- The per-vote audit chain: each event of a vote also extends its vote's own chain, so a printed anchor
-- (hash and count) can be checked from that vote's events alone.
ALTER TABLE audit_events ADD COLUMN vote_seq BIGINT;
ALTER TABLE audit_events ADD COLUMN vote_hash TEXT;
CREATE TABLE audit_vote_heads (
    vote_id TEXT PRIMARY KEY REFERENCES votes (id),
    seq     BIGINT NOT NULL,
    hash    TEXT NOT NULL
);

-- A generated token-signing secret is no longer kept in the database (a reader could forge tokens).
DELETE FROM app_settings WHERE key = 'jwt_secret';

-- Kiosks registered by the board at the desk: each has its own budget of failed code uses, which no
-- other device's failures can exhaust. Only the token's digest is kept.
CREATE TABLE kiosk_devices (
    id         TEXT PRIMARY KEY,
    vote_id    TEXT NOT NULL REFERENCES votes (id),
    name       TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 80),
    token_hash TEXT NOT NULL UNIQUE,
    created_by TEXT NOT NULL REFERENCES users (id),
    created_at TIMESTAMPTZ NOT NULL,
    revoked_at TIMESTAMPTZ
);
CREATE INDEX kiosk_devices_vote ON kiosk_devices (vote_id);

-- The vote's audit anchor each member saw when certifying (HASH:COUNT), recorded with the certification.
ALTER TABLE certifications ADD COLUMN anchor TEXT;
