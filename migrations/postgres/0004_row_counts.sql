-- Row counts of every listed table, kept by triggers in the same
-- transaction as the change, so that an unfiltered list's total_count is
-- a sum over a few rows instead of a count over the whole table. Each
-- table's count is spread over shards (by backend process) so that
-- concurrent writers do not queue on one row; statement-level triggers
-- count a bulk insert (a packagelist import) once.
CREATE TABLE row_count (
    tbl TEXT NOT NULL,
    shard INTEGER NOT NULL,
    n BIGINT NOT NULL,
    PRIMARY KEY (tbl, shard)
);

CREATE FUNCTION row_count_add(name TEXT, delta BIGINT) RETURNS VOID
LANGUAGE sql AS $$
    INSERT INTO row_count (tbl, shard, n) VALUES (name, pg_backend_pid() % 16, delta)
    ON CONFLICT (tbl, shard) DO UPDATE SET n = row_count.n + excluded.n
$$;

CREATE FUNCTION row_count_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM row_count_add(TG_TABLE_NAME, (SELECT count(*) FROM new_rows));
    RETURN NULL;
END $$;

CREATE FUNCTION row_count_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM row_count_add(TG_TABLE_NAME, -(SELECT count(*) FROM old_rows));
    RETURN NULL;
END $$;

INSERT INTO row_count (tbl, shard, n) SELECT 'sourcepackage', 0, count(*) FROM sourcepackage;
CREATE TRIGGER sourcepackage_counted_insert AFTER INSERT ON sourcepackage
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION row_count_inserted();
CREATE TRIGGER sourcepackage_counted_delete AFTER DELETE ON sourcepackage
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION row_count_deleted();

INSERT INTO row_count (tbl, shard, n) SELECT 'binarypackage', 0, count(*) FROM binarypackage;
CREATE TRIGGER binarypackage_counted_insert AFTER INSERT ON binarypackage
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION row_count_inserted();
CREATE TRIGGER binarypackage_counted_delete AFTER DELETE ON binarypackage
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION row_count_deleted();

INSERT INTO row_count (tbl, shard, n) SELECT 'spu', 0, count(*) FROM spu;
CREATE TRIGGER spu_counted_insert AFTER INSERT ON spu
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION row_count_inserted();
CREATE TRIGGER spu_counted_delete AFTER DELETE ON spu
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION row_count_deleted();

INSERT INTO row_count (tbl, shard, n) SELECT 'ticket', 0, count(*) FROM ticket;
CREATE TRIGGER ticket_counted_insert AFTER INSERT ON ticket
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION row_count_inserted();
CREATE TRIGGER ticket_counted_delete AFTER DELETE ON ticket
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION row_count_deleted();

INSERT INTO row_count (tbl, shard, n) SELECT 'subticket', 0, count(*) FROM subticket;
CREATE TRIGGER subticket_counted_insert AFTER INSERT ON subticket
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION row_count_inserted();
CREATE TRIGGER subticket_counted_delete AFTER DELETE ON subticket
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION row_count_deleted();

INSERT INTO row_count (tbl, shard, n) SELECT 'ticketartifact', 0, count(*) FROM ticketartifact;
CREATE TRIGGER ticketartifact_counted_insert AFTER INSERT ON ticketartifact
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION row_count_inserted();
CREATE TRIGGER ticketartifact_counted_delete AFTER DELETE ON ticketartifact
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION row_count_deleted();

INSERT INTO row_count (tbl, shard, n) SELECT 'subticketartifact', 0, count(*) FROM subticketartifact;
CREATE TRIGGER subticketartifact_counted_insert AFTER INSERT ON subticketartifact
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION row_count_inserted();
CREATE TRIGGER subticketartifact_counted_delete AFTER DELETE ON subticketartifact
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION row_count_deleted();

INSERT INTO row_count (tbl, shard, n) SELECT 'person', 0, count(*) FROM person;
CREATE TRIGGER person_counted_insert AFTER INSERT ON person
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION row_count_inserted();
CREATE TRIGGER person_counted_delete AFTER DELETE ON person
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION row_count_deleted();

INSERT INTO row_count (tbl, shard, n) SELECT 'event', 0, count(*) FROM event;
CREATE TRIGGER event_counted_insert AFTER INSERT ON event
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION row_count_inserted();
CREATE TRIGGER event_counted_delete AFTER DELETE ON event
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION row_count_deleted();
