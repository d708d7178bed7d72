-- Tokens that operators can manage (`ticketd token create --expires`,
-- `token rotate`, `token list`), microseconds since the epoch like every
-- time here, NULL when not set:
-- expires: after it the token is refused (401, saying when it expired);
-- last_used: when the token was last seen, written at most once a minute
--   per token (so a busy token costs one write a minute, not one a request);
-- rotated: when `token rotate` last replaced the token's secret (the row,
--   its name, role and owner stay; the old secret stops working at once).
ALTER TABLE api_token ADD COLUMN expires BIGINT;
ALTER TABLE api_token ADD COLUMN last_used BIGINT;
ALTER TABLE api_token ADD COLUMN rotated BIGINT;
