-- A developer token may be bound to one owner address
-- (`ticketd token create --role developer --email ADDRESS`): it then
-- creates, queues and adds artifacts only to that owner's tickets. NULL
-- for every other token, including the developer tokens made before.
ALTER TABLE api_token ADD COLUMN owner TEXT;
