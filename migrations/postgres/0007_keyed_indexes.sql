-- Statements about one object's rows (one ticket's subtickets, artifacts
-- and history; one subticket's artifacts) find them by the key and read
-- them in id order from the same index, without a sort. SQLite appends
-- the rowid to every index; PostgreSQL needs the id named. The composite
-- indexes replace the single-column ones, whose lookups they serve too.
CREATE INDEX subticket_ticket_step ON subticket (ticket_id, current_workflow_step, id);
DROP INDEX subticket_ticket;
CREATE INDEX subticket_ticket ON subticket (ticket_id, id);
DROP INDEX ticketartifact_ticket;
CREATE INDEX ticketartifact_ticket ON ticketartifact (ticket_id, id);
DROP INDEX subticketartifact_subticket;
CREATE INDEX subticketartifact_subticket ON subticketartifact (subticket_id, id);
DROP INDEX event_ticket;
CREATE INDEX event_ticket ON event (ticket_id, id);
