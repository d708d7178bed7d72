-- Idempotency keys of bundle submissions: a retried request with the same
-- key (per actor) gets the first answer instead of a second ticket. Rows
-- older than a day may be purged.
CREATE TABLE idempotency_key (
    scoped_key   TEXT    PRIMARY KEY,
    request_hash TEXT    NOT NULL,
    ticket_id    INTEGER NOT NULL REFERENCES ticket (id),
    response     TEXT    NOT NULL,
    created      INTEGER NOT NULL
);
CREATE INDEX idempotency_key_created ON idempotency_key (created);
