-- Failed sign-ins, counted in the database so that restarts and several `baton serve` on one
-- database share them (issue 15). One row per key: `pair:EMAIL|CLIENT`, `client:CLIENT`,
-- `email:EMAIL`; a fixed window of LOGIN_WINDOW from its first attempt, in Unix seconds.
-- An attempt is counted before its password is checked and forgiven when it was right.
CREATE TABLE login_limits (
    key          TEXT NOT NULL PRIMARY KEY,
    failures     BIGINT NOT NULL,
    window_start BIGINT NOT NULL
);
CREATE INDEX login_limits_window ON login_limits (window_start);
