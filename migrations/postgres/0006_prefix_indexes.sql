-- Text sorts by code point on both backends (SQLite's BINARY collation;
-- "C" here): ticketd orders text columns and matches `startswith` prefixes
-- with COLLATE "C", and these indexes serve both. A btree in another
-- collation can serve neither a `LIKE 'prefix%'` nor that order.
CREATE INDEX ticket_title_c ON ticket (title COLLATE "C", id);
CREATE INDEX ticket_owner_c ON ticket (owner COLLATE "C", id);
CREATE INDEX ticket_bug_id_c ON ticket (bug_id COLLATE "C");
CREATE INDEX sourcepackage_name_c ON sourcepackage (name COLLATE "C", id);
CREATE INDEX binarypackage_name_c ON binarypackage (name COLLATE "C", id);
CREATE INDEX binarypackage_version_c ON binarypackage (version COLLATE "C");
CREATE INDEX spu_version_c ON spu (version COLLATE "C");
CREATE INDEX subticket_assignee_c ON subticket (assignee COLLATE "C");
CREATE INDEX ticketartifact_name_c ON ticketartifact (name COLLATE "C");
CREATE INDEX ticketartifact_type_c ON ticketartifact (type COLLATE "C");
CREATE INDEX subticketartifact_name_c ON subticketartifact (name COLLATE "C");
CREATE INDEX subticketartifact_type_c ON subticketartifact (type COLLATE "C");
CREATE INDEX person_name_c ON person (name COLLATE "C", id);
CREATE INDEX person_email_c ON person (email COLLATE "C");
CREATE INDEX event_kind_c ON event (kind COLLATE "C");
