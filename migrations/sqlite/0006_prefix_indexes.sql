-- PostgreSQL adds byte-order ("C") text indexes here for prefix filters
-- and text orders; SQLite's BINARY collation and GLOB prefixes use the
-- plain indexes already, so nothing changes. (Both backends keep the same
-- migration versions.)
SELECT 1;
