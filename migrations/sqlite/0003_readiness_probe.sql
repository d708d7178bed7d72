-- One row that `/readyz` rewrites to prove the database still takes
-- durable writes (a full disk or an unwritable file fails it).
CREATE TABLE readiness_probe (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    checked_at BIGINT NOT NULL
);
