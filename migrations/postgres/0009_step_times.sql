-- Where and when (docs/api.md, "Queue position, time in step and ETA").
--
-- in_step_since: when the ticket entered its current step, written with
-- each step change in the same statement. It orders the queue (the
-- tickets at step 100, earliest queued first) and picks the tickets
-- completed most recently, whose history gives the ETA's medians.
ALTER TABLE ticket ADD COLUMN in_step_since BIGINT;
-- A Failed or Complete ticket last changed when it entered that step.
UPDATE ticket SET in_step_since = updated WHERE current_workflow_step >= 999;
-- An open one may have changed status since: the last event of its own
-- that moved it into the step it is at.
UPDATE ticket SET in_step_since = COALESCE(
    (SELECT max(e.created) FROM event e
     WHERE e.ticket_id = ticket.id AND e.subticket_id IS NULL
       AND e.to_step = ticket.current_workflow_step
       AND (e.from_step IS NULL OR e.from_step <> e.to_step)),
    updated)
WHERE current_workflow_step < 999;
ALTER TABLE ticket ALTER COLUMN in_step_since SET NOT NULL;
-- The queue position counts this index's range of step 100 before a
-- ticket; the ETA reads the newest entries of step 1000; ties by id.
CREATE INDEX ticket_step_since ON ticket (current_workflow_step, in_step_since, id);
-- The step changes of a ticket's own history (its subtickets' events and
-- its artifacts left out), in id order, covering what the ETA reads.
CREATE INDEX event_ticket_steps ON event (ticket_id, id, to_step, created)
    WHERE subticket_id IS NULL AND to_step IS NOT NULL;
