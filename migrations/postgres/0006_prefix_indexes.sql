-- `startswith` filters become `LIKE 'prefix%'`, which a btree index in the
-- database's collation cannot serve unless that collation is "C": these
-- pattern indexes make every prefix filter an index range, whatever the
-- collation. (SQLite's GLOB uses the plain indexes already.)
CREATE INDEX ticket_title_prefix ON ticket (title text_pattern_ops);
CREATE INDEX ticket_owner_prefix ON ticket (owner text_pattern_ops);
CREATE INDEX ticket_bug_id_prefix ON ticket (bug_id text_pattern_ops);
CREATE INDEX sourcepackage_name_prefix ON sourcepackage (name text_pattern_ops);
CREATE INDEX binarypackage_name_prefix ON binarypackage (name text_pattern_ops);
CREATE INDEX binarypackage_version_prefix ON binarypackage (version text_pattern_ops);
CREATE INDEX spu_version_prefix ON spu (version text_pattern_ops);
CREATE INDEX subticket_assignee_prefix ON subticket (assignee text_pattern_ops);
CREATE INDEX ticketartifact_name_prefix ON ticketartifact (name text_pattern_ops);
CREATE INDEX ticketartifact_type_prefix ON ticketartifact (type text_pattern_ops);
CREATE INDEX subticketartifact_name_prefix ON subticketartifact (name text_pattern_ops);
CREATE INDEX subticketartifact_type_prefix ON subticketartifact (type text_pattern_ops);
CREATE INDEX person_name_prefix ON person (name text_pattern_ops);
CREATE INDEX person_email_prefix ON person (email text_pattern_ops);
CREATE INDEX event_kind_prefix ON event (kind text_pattern_ops);
