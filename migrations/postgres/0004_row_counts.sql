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

DO $$
DECLARE
    t TEXT;
BEGIN
    FOREACH t IN ARRAY ARRAY['sourcepackage', 'binarypackage', 'spu', 'ticket', 'subticket',
                             'ticketartifact', 'subticketartifact', 'person', 'event'] LOOP
        EXECUTE format('INSERT INTO row_count (tbl, shard, n) SELECT %L, 0, count(*) FROM %I', t, t);
        EXECUTE format('CREATE TRIGGER %I AFTER INSERT ON %I REFERENCING NEW TABLE AS new_rows '
                       'FOR EACH STATEMENT EXECUTE FUNCTION row_count_inserted()', t || '_counted_insert', t);
        EXECUTE format('CREATE TRIGGER %I AFTER DELETE ON %I REFERENCING OLD TABLE AS old_rows '
                       'FOR EACH STATEMENT EXECUTE FUNCTION row_count_deleted()', t || '_counted_delete', t);
    END LOOP;
END $$;
