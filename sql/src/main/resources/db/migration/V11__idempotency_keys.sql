-- Idempotency-Key on POST /api/posts and POST /api/posts/{id}/comments (issue 14): a client that
-- retries after a timeout or a 503 gets the first answer instead of a duplicate. Unique per author,
-- kept as long as the row (NULL for calls without the header: any number of those).
ALTER TABLE posts ADD COLUMN idem_key VARCHAR(64) NULL, ADD UNIQUE KEY uk_posts_idem (author_id, idem_key);
ALTER TABLE comments ADD COLUMN idem_key VARCHAR(64) NULL, ADD UNIQUE KEY uk_comments_idem (author_id, idem_key);
