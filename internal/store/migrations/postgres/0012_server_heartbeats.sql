-- The server processes counting throttles together (docs/OPERATIONS.md): each marks itself alive
-- while it serves, and lets itself have at most its share of a throttle's budget under way
-- (internal/auth/shared.go). UNLOGGED, like the counts themselves (0010).
CREATE UNLOGGED TABLE server_heartbeats (
    instance TEXT PRIMARY KEY,  -- a random id drawn by each process when it starts
    seen_ms  BIGINT NOT NULL    -- its last sign of life, milliseconds since 1970
);
