-- Statements about one ticket's subtickets at one step (queueing them,
-- moving them with their ticket, finding the failed one) search by both
-- columns. Without it SQLite, with no statistics, may pick
-- subticket_step and read every subticket at that step in the database.
-- SQLite appends the rowid to every index, so `ORDER BY id` comes in
-- index order, here and in the single-column indexes on ticket_id.
CREATE INDEX subticket_ticket_step ON subticket (ticket_id, current_workflow_step);
