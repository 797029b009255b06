-- Document settings per council, and the documents frozen at publication (byte for byte, with their
-- SHA-256), so a published resolution never changes when settings do.

CREATE TABLE council_settings (
    council_id        TEXT PRIMARY KEY REFERENCES councils (id),
    document_settings TEXT NOT NULL,
    updated_at        TIMESTAMPTZ NOT NULL
);

CREATE TABLE vote_documents (
    vote_id      TEXT NOT NULL REFERENCES votes (id),
    name         TEXT NOT NULL,
    content_type TEXT NOT NULL,
    sha256       TEXT NOT NULL,
    content      BYTEA NOT NULL,
    PRIMARY KEY (vote_id, name)
);

ALTER TABLE votes ADD COLUMN resolution_fingerprint TEXT;
