-- Issue 19: reposts (seed 003, 转发). A REPOST row names the original it shows, which is never a
-- repost itself (reposting a repost reposts its original). The original's deletion or blacklisting
-- hides its reposts on every read path at once (one blacklist check of the originals), so no
-- repost row is ever rewritten.
ALTER TABLE posts ADD COLUMN repost_of BIGINT NULL;
