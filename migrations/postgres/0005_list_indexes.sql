-- Indexes for the lists landers and web pages ask for most: tickets at a
-- step (and status) newest first, and a developer's tickets by date. With
-- them a filtered page is an index range in the order asked (ties by id),
-- instead of a sort of every match.
CREATE INDEX ticket_step_updated ON ticket (current_workflow_step, updated, id);
CREATE INDEX ticket_step_created ON ticket (current_workflow_step, created, id);
CREATE INDEX ticket_step_status ON ticket (current_workflow_step, status, id);
CREATE INDEX ticket_owner_created ON ticket (owner, created, id);
CREATE INDEX subticket_step_updated ON subticket (current_workflow_step, updated, id);
