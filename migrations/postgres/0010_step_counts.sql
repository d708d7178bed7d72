-- Tickets per step, kept like the row counts of migration 0004 (by
-- triggers, in the same transaction as each change, spread over the same
-- shards), so that the web page's counts per step are a few keyed lookups
-- instead of counting every ticket at a step. The key is `ticket@STEP`
-- (`ticket@100`).
INSERT INTO row_count (tbl, shard, n)
    SELECT 'ticket@' || current_workflow_step, 0, count(*) FROM ticket GROUP BY current_workflow_step;

-- Inserts and deletes per statement, as in 0004: a bulk insert (an import,
-- the load generator's seeding) adds one count per step, not one per row.
CREATE FUNCTION ticket_steps_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM row_count_add('ticket@' || current_workflow_step, count(*))
    FROM new_rows GROUP BY current_workflow_step;
    RETURN NULL;
END $$;

CREATE FUNCTION ticket_steps_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM row_count_add('ticket@' || current_workflow_step, -count(*))
    FROM old_rows GROUP BY current_workflow_step;
    RETURN NULL;
END $$;

-- A change of step, row by row: the condition leaves out every update that
-- keeps the step (status changes within a step), before any function runs.
CREATE FUNCTION ticket_step_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM row_count_add('ticket@' || OLD.current_workflow_step, -1);
    PERFORM row_count_add('ticket@' || NEW.current_workflow_step, 1);
    RETURN NULL;
END $$;

CREATE TRIGGER ticket_step_counted_insert AFTER INSERT ON ticket
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ticket_steps_inserted();
CREATE TRIGGER ticket_step_counted_delete AFTER DELETE ON ticket
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION ticket_steps_deleted();
CREATE TRIGGER ticket_step_counted_update AFTER UPDATE OF current_workflow_step ON ticket
    FOR EACH ROW WHEN (OLD.current_workflow_step IS DISTINCT FROM NEW.current_workflow_step)
    EXECUTE FUNCTION ticket_step_changed();

-- "My tickets" on the web page (`/?owner=`): each list is one owner's
-- tickets at one step in the order they entered it (migration 0009), a
-- range of this index, instead of every ticket of the owner read to find
-- those at a step.
CREATE INDEX ticket_owner_step_since ON ticket (owner, current_workflow_step, in_step_since, id);
