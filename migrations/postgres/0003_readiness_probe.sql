-- One row that `/readyz` rewrites to prove the database still takes
-- durable writes (a read-only server or a full disk fails it).
CREATE TABLE readiness_probe (
    id BIGINT PRIMARY KEY CHECK (id = 1),
    checked_at BIGINT NOT NULL
);
