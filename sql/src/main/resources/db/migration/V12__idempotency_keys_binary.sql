-- Idempotency keys compare byte for byte: under the tables' case-insensitive collation "Key-A"
-- and "key-a" collided (a wrong replay or a 409). ASCII, binary collation, as V9's ids.
ALTER TABLE posts MODIFY idem_key VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NULL;
ALTER TABLE comments MODIFY idem_key VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NULL;
