-- PostgreSQL adds pattern indexes for `startswith` filters here; SQLite's
-- GLOB prefix already uses the plain indexes, so nothing changes. (Both
-- backends keep the same migration versions.)
SELECT 1;
