-- Core: settings, councils, staff accounts, delegates, officials and the append-only audit log.
-- The same schema as migrations/postgres, in SQLite's dialect.

CREATE TABLE app_settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE councils (
    id              TEXT PRIMARY KEY,
    name            TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    body            TEXT NOT NULL CHECK (body IN ('quoc_hoi', 'hdnd', 'dang')),
    level           TEXT NOT NULL CHECK (level IN ('trung_uong', 'tinh', 'huyen', 'xa', 'co_so')),
    place           TEXT NOT NULL,
    khoa            TEXT NOT NULL,
    term_start_year INTEGER NOT NULL,
    term_end_year   INTEGER NOT NULL,
    created_at      TIMESTAMP NOT NULL,
    CHECK (term_end_year > term_start_year)
);

CREATE TABLE users (
    id            TEXT PRIMARY KEY,
    username      TEXT NOT NULL UNIQUE,
    full_name     TEXT NOT NULL,
    role          TEXT NOT NULL CHECK (role IN ('admin', 'secretariat', 'board', 'observer')),
    council_id    TEXT REFERENCES councils (id),
    password_hash TEXT NOT NULL,
    -- Incremented when the password changes or the account is deactivated: older tokens stop working.
    token_version INTEGER NOT NULL DEFAULT 0,
    active        BOOLEAN NOT NULL DEFAULT 1,
    created_at    TIMESTAMP NOT NULL,
    CHECK ((role = 'admin') = (council_id IS NULL))
);
CREATE INDEX users_council ON users (council_id);

CREATE TABLE delegates (
    id             TEXT PRIMARY KEY,
    council_id     TEXT NOT NULL REFERENCES councils (id),
    full_name      TEXT NOT NULL CHECK (length(full_name) BETWEEN 1 AND 120),
    code           TEXT NOT NULL CHECK (length(code) BETWEEN 1 AND 32),
    -- The code case-folded by the application (Unicode-aware, unlike SQL lower()), for uniqueness.
    code_key       TEXT NOT NULL,
    took_office_on TEXT CHECK (took_office_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    left_office_on TEXT CHECK (left_office_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    active         BOOLEAN NOT NULL DEFAULT 1,
    created_at     TIMESTAMP NOT NULL,
    CHECK (took_office_on IS NULL OR left_office_on IS NULL OR left_office_on > took_office_on)
);
CREATE UNIQUE INDEX delegates_code ON delegates (council_id, code_key);

CREATE TABLE officials (
    id                   TEXT PRIMARY KEY,
    council_id           TEXT NOT NULL REFERENCES councils (id),
    full_name            TEXT NOT NULL CHECK (length(full_name) BETWEEN 1 AND 120),
    retirement_announced BOOLEAN NOT NULL DEFAULT 0,
    illness_leave_since  TEXT CHECK (illness_leave_since GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    active               BOOLEAN NOT NULL DEFAULT 1,
    created_at           TIMESTAMP NOT NULL
);
CREATE INDEX officials_council ON officials (council_id);

CREATE TABLE positions (
    official_id TEXT NOT NULL REFERENCES officials (id) ON DELETE CASCADE,
    ord         INTEGER NOT NULL CHECK (ord >= 0),
    category    TEXT NOT NULL CHECK (category IN (
        'hdnd_chu_tich',
        'hdnd_pho_chu_tich',
        'hdnd_truong_ban',
        'ubnd_chu_tich',
        'ubnd_pho_chu_tich',
        'ubnd_uy_vien',
        'chu_tich_nuoc',
        'pho_chu_tich_nuoc',
        'chu_tich_quoc_hoi',
        'pho_chu_tich_quoc_hoi',
        'uy_vien_ubtvqh',
        'tong_thu_ky_quoc_hoi',
        'chu_tich_hoi_dong_dan_toc',
        'chu_nhiem_uy_ban_quoc_hoi',
        'thu_tuong',
        'pho_thu_tuong',
        'bo_truong',
        'thanh_vien_chinh_phu',
        'chanh_an_tandtc',
        'vien_truong_vksndtc',
        'tong_kiem_toan')),
    title       TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 300),
    elected_on  TEXT NOT NULL CHECK (elected_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    PRIMARY KEY (official_id, ord)
);

CREATE TABLE audit_events (
    seq         INTEGER PRIMARY KEY CHECK (seq > 0),
    at          TIMESTAMP NOT NULL,
    actor_id    TEXT NOT NULL,
    actor_name  TEXT NOT NULL,
    action      TEXT NOT NULL,
    object_type TEXT NOT NULL,
    object_id   TEXT NOT NULL,
    council_id  TEXT,
    vote_id     TEXT,
    summary     TEXT NOT NULL,
    request_id  TEXT NOT NULL,
    prev_hash   TEXT NOT NULL,
    hash        TEXT NOT NULL
);
CREATE INDEX audit_events_council ON audit_events (council_id, seq);
CREATE INDEX audit_events_vote ON audit_events (vote_id, seq);

CREATE TABLE audit_head (
    id   INTEGER PRIMARY KEY CHECK (id = 1),
    seq  INTEGER NOT NULL,
    hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
BEGIN
    SELECT RAISE(ABORT, 'audit_events is append-only: UPDATE refused');
END;
CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
BEGIN
    SELECT RAISE(ABORT, 'audit_events is append-only: DELETE refused');
END;
