-- The hash of the web app build that served the vote's kiosks and the board's pages, taken when the
-- vote opens: the public record carries it (docs/RECORD.md), for comparison with a published release.
ALTER TABLE votes ADD COLUMN frontend_hash TEXT;
