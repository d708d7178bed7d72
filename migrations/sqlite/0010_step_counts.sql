-- Tickets per step, kept like the row counts of migration 0004 (by
-- triggers, in the same transaction as each change), so that the web
-- page's counts per step are a few keyed lookups instead of counting every
-- ticket at a step. The key is `ticket@STEP` (`ticket@100`); a step no
-- ticket has reached has no row.
INSERT INTO row_count (tbl, n)
    SELECT 'ticket@' || current_workflow_step, count(*) FROM ticket GROUP BY current_workflow_step;

CREATE TRIGGER ticket_step_counted_insert AFTER INSERT ON ticket
BEGIN
    INSERT INTO row_count (tbl, n) VALUES ('ticket@' || new.current_workflow_step, 1)
    ON CONFLICT (tbl) DO UPDATE SET n = n + 1;
END;

-- Only a change of step, not every status change, touches the counts.
CREATE TRIGGER ticket_step_counted_update AFTER UPDATE OF current_workflow_step ON ticket
WHEN old.current_workflow_step IS NOT new.current_workflow_step
BEGIN
    UPDATE row_count SET n = n - 1 WHERE tbl = 'ticket@' || old.current_workflow_step;
    INSERT INTO row_count (tbl, n) VALUES ('ticket@' || new.current_workflow_step, 1)
    ON CONFLICT (tbl) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER ticket_step_counted_delete AFTER DELETE ON ticket
BEGIN
    UPDATE row_count SET n = n - 1 WHERE tbl = 'ticket@' || old.current_workflow_step;
END;

-- "My tickets" on the web page (`/?owner=`): each list is one owner's
-- tickets at one step in the order they entered it (migration 0009), a
-- range of this index, instead of every ticket of the owner read to find
-- those at a step.
CREATE INDEX ticket_owner_step_since ON ticket (owner, current_workflow_step, in_step_since);
