-- The phase 0 schema of the ticket system. Timestamps are microseconds since
-- the Unix epoch (UTC), made in Rust, so that both backends store, compare
-- and order them the same way. Every column a list filters or orders on has
-- an index.

CREATE TABLE sourcepackage (
    id      INTEGER PRIMARY KEY AUTOINCREMENT,
    name    TEXT    NOT NULL UNIQUE,
    created INTEGER NOT NULL
);
CREATE INDEX sourcepackage_created ON sourcepackage (created);

CREATE TABLE binarypackage (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    name             TEXT    NOT NULL UNIQUE,
    sourcepackage_id INTEGER NOT NULL REFERENCES sourcepackage (id),
    version          TEXT    NOT NULL,
    seeded           INTEGER NOT NULL DEFAULT 0 CHECK (seeded IN (0, 1)),
    created          INTEGER NOT NULL
);
CREATE INDEX binarypackage_sourcepackage ON binarypackage (sourcepackage_id);
CREATE INDEX binarypackage_version ON binarypackage (version);
CREATE INDEX binarypackage_seeded ON binarypackage (seeded);
CREATE INDEX binarypackage_created ON binarypackage (created);

CREATE TABLE spu (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    sourcepackage_id INTEGER NOT NULL REFERENCES sourcepackage (id),
    version          TEXT    NOT NULL,
    created          INTEGER NOT NULL
);
CREATE INDEX spu_sourcepackage ON spu (sourcepackage_id);
CREATE INDEX spu_version ON spu (version);
CREATE INDEX spu_created ON spu (created);

CREATE TABLE ticket (
    id                    INTEGER PRIMARY KEY AUTOINCREMENT,
    title                 TEXT    NOT NULL,
    description           TEXT    NOT NULL,
    owner                 TEXT    NOT NULL,
    bug_id                TEXT,
    ppa                   TEXT,
    base_image            TEXT,
    refs                  TEXT    NOT NULL DEFAULT '[]',
    current_workflow_step INTEGER NOT NULL,
    status                INTEGER NOT NULL,
    failed_step           INTEGER,
    failed_subticket_id   INTEGER,
    failure_message       TEXT,
    created               INTEGER NOT NULL,
    updated               INTEGER NOT NULL
);
CREATE INDEX ticket_title ON ticket (title);
CREATE INDEX ticket_owner ON ticket (owner);
CREATE INDEX ticket_bug_id ON ticket (bug_id);
CREATE INDEX ticket_step ON ticket (current_workflow_step);
CREATE INDEX ticket_status ON ticket (status);
CREATE INDEX ticket_failed_step ON ticket (failed_step);
CREATE INDEX ticket_created ON ticket (created);
CREATE INDEX ticket_updated ON ticket (updated);

CREATE TABLE subticket (
    id                    INTEGER PRIMARY KEY AUTOINCREMENT,
    ticket_id             INTEGER NOT NULL REFERENCES ticket (id),
    spu_id                INTEGER NOT NULL REFERENCES spu (id),
    assignee              TEXT    NOT NULL,
    current_workflow_step INTEGER NOT NULL,
    status                INTEGER NOT NULL,
    failed_step           INTEGER,
    failure_message       TEXT,
    created               INTEGER NOT NULL,
    updated               INTEGER NOT NULL
);
CREATE INDEX subticket_ticket ON subticket (ticket_id);
CREATE INDEX subticket_spu ON subticket (spu_id);
CREATE INDEX subticket_assignee ON subticket (assignee);
CREATE INDEX subticket_step ON subticket (current_workflow_step);
CREATE INDEX subticket_status ON subticket (status);
CREATE INDEX subticket_failed_step ON subticket (failed_step);
CREATE INDEX subticket_created ON subticket (created);
CREATE INDEX subticket_updated ON subticket (updated);

CREATE TABLE ticketartifact (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    ticket_id INTEGER NOT NULL REFERENCES ticket (id),
    name      TEXT    NOT NULL,
    reference TEXT    NOT NULL,
    type      TEXT    NOT NULL,
    created   INTEGER NOT NULL
);
CREATE INDEX ticketartifact_ticket ON ticketartifact (ticket_id);
CREATE INDEX ticketartifact_name ON ticketartifact (name);
CREATE INDEX ticketartifact_type ON ticketartifact (type);
CREATE INDEX ticketartifact_created ON ticketartifact (created);

CREATE TABLE subticketartifact (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    subticket_id INTEGER NOT NULL REFERENCES subticket (id),
    name         TEXT    NOT NULL,
    reference    TEXT    NOT NULL,
    type         TEXT    NOT NULL,
    created      INTEGER NOT NULL
);
CREATE INDEX subticketartifact_subticket ON subticketartifact (subticket_id);
CREATE INDEX subticketartifact_name ON subticketartifact (name);
CREATE INDEX subticketartifact_type ON subticketartifact (type);
CREATE INDEX subticketartifact_created ON subticketartifact (created);

CREATE TABLE person (
    id      INTEGER PRIMARY KEY AUTOINCREMENT,
    name    TEXT    NOT NULL,
    email   TEXT    NOT NULL,
    is_team INTEGER NOT NULL DEFAULT 0 CHECK (is_team IN (0, 1)),
    created INTEGER NOT NULL
);
CREATE INDEX person_name ON person (name);
CREATE INDEX person_email ON person (email);
CREATE INDEX person_is_team ON person (is_team);
CREATE INDEX person_created ON person (created);

-- The history. AUTOINCREMENT: ids are never reused, so `id__gt` is a cursor.
CREATE TABLE event (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    ticket_id    INTEGER NOT NULL REFERENCES ticket (id),
    subticket_id INTEGER REFERENCES subticket (id),
    kind         TEXT    NOT NULL,
    from_step    INTEGER,
    from_status  INTEGER,
    to_step      INTEGER,
    to_status    INTEGER,
    message      TEXT,
    actor        TEXT,
    created      INTEGER NOT NULL
);
CREATE INDEX event_ticket ON event (ticket_id);
CREATE INDEX event_subticket ON event (subticket_id);
CREATE INDEX event_kind ON event (kind);
CREATE INDEX event_created ON event (created);

CREATE TABLE api_token (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    name       TEXT    NOT NULL UNIQUE,
    role       TEXT    NOT NULL,
    token_hash TEXT    NOT NULL UNIQUE,
    created    INTEGER NOT NULL,
    revoked    INTEGER
);
