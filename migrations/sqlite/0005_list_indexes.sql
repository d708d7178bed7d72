-- Indexes for the lists landers and web pages ask for most: tickets at a
-- step (and status) newest first, and a developer's tickets by date. With
-- them a filtered page is an index range in the order asked, instead of a
-- sort of every match. (SQLite appends the rowid, so ties come in id order.)
CREATE INDEX ticket_step_updated ON ticket (current_workflow_step, updated);
CREATE INDEX ticket_step_created ON ticket (current_workflow_step, created);
CREATE INDEX ticket_step_status ON ticket (current_workflow_step, status);
CREATE INDEX ticket_owner_created ON ticket (owner, created);
CREATE INDEX subticket_step_updated ON subticket (current_workflow_step, updated);
