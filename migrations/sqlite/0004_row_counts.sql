-- Row counts of every listed table, kept by triggers in the same
-- transaction as the change, so that an unfiltered list's total_count is
-- one lookup instead of a count over the whole table.
CREATE TABLE row_count (
    tbl TEXT PRIMARY KEY,
    n BIGINT NOT NULL
);

INSERT INTO row_count (tbl, n) SELECT 'sourcepackage', count(*) FROM sourcepackage;
CREATE TRIGGER sourcepackage_counted_insert AFTER INSERT ON sourcepackage
BEGIN UPDATE row_count SET n = n + 1 WHERE tbl = 'sourcepackage'; END;
CREATE TRIGGER sourcepackage_counted_delete AFTER DELETE ON sourcepackage
BEGIN UPDATE row_count SET n = n - 1 WHERE tbl = 'sourcepackage'; END;

INSERT INTO row_count (tbl, n) SELECT 'binarypackage', count(*) FROM binarypackage;
CREATE TRIGGER binarypackage_counted_insert AFTER INSERT ON binarypackage
BEGIN UPDATE row_count SET n = n + 1 WHERE tbl = 'binarypackage'; END;
CREATE TRIGGER binarypackage_counted_delete AFTER DELETE ON binarypackage
BEGIN UPDATE row_count SET n = n - 1 WHERE tbl = 'binarypackage'; END;

INSERT INTO row_count (tbl, n) SELECT 'spu', count(*) FROM spu;
CREATE TRIGGER spu_counted_insert AFTER INSERT ON spu
BEGIN UPDATE row_count SET n = n + 1 WHERE tbl = 'spu'; END;
CREATE TRIGGER spu_counted_delete AFTER DELETE ON spu
BEGIN UPDATE row_count SET n = n - 1 WHERE tbl = 'spu'; END;

INSERT INTO row_count (tbl, n) SELECT 'ticket', count(*) FROM ticket;
CREATE TRIGGER ticket_counted_insert AFTER INSERT ON ticket
BEGIN UPDATE row_count SET n = n + 1 WHERE tbl = 'ticket'; END;
CREATE TRIGGER ticket_counted_delete AFTER DELETE ON ticket
BEGIN UPDATE row_count SET n = n - 1 WHERE tbl = 'ticket'; END;

INSERT INTO row_count (tbl, n) SELECT 'subticket', count(*) FROM subticket;
CREATE TRIGGER subticket_counted_insert AFTER INSERT ON subticket
BEGIN UPDATE row_count SET n = n + 1 WHERE tbl = 'subticket'; END;
CREATE TRIGGER subticket_counted_delete AFTER DELETE ON subticket
BEGIN UPDATE row_count SET n = n - 1 WHERE tbl = 'subticket'; END;

INSERT INTO row_count (tbl, n) SELECT 'ticketartifact', count(*) FROM ticketartifact;
CREATE TRIGGER ticketartifact_counted_insert AFTER INSERT ON ticketartifact
BEGIN UPDATE row_count SET n = n + 1 WHERE tbl = 'ticketartifact'; END;
CREATE TRIGGER ticketartifact_counted_delete AFTER DELETE ON ticketartifact
BEGIN UPDATE row_count SET n = n - 1 WHERE tbl = 'ticketartifact'; END;

INSERT INTO row_count (tbl, n) SELECT 'subticketartifact', count(*) FROM subticketartifact;
CREATE TRIGGER subticketartifact_counted_insert AFTER INSERT ON subticketartifact
BEGIN UPDATE row_count SET n = n + 1 WHERE tbl = 'subticketartifact'; END;
CREATE TRIGGER subticketartifact_counted_delete AFTER DELETE ON subticketartifact
BEGIN UPDATE row_count SET n = n - 1 WHERE tbl = 'subticketartifact'; END;

INSERT INTO row_count (tbl, n) SELECT 'person', count(*) FROM person;
CREATE TRIGGER person_counted_insert AFTER INSERT ON person
BEGIN UPDATE row_count SET n = n + 1 WHERE tbl = 'person'; END;
CREATE TRIGGER person_counted_delete AFTER DELETE ON person
BEGIN UPDATE row_count SET n = n - 1 WHERE tbl = 'person'; END;

INSERT INTO row_count (tbl, n) SELECT 'event', count(*) FROM event;
CREATE TRIGGER event_counted_insert AFTER INSERT ON event
BEGIN UPDATE row_count SET n = n + 1 WHERE tbl = 'event'; END;
CREATE TRIGGER event_counted_delete AFTER DELETE ON event
BEGIN UPDATE row_count SET n = n - 1 WHERE tbl = 'event'; END;
