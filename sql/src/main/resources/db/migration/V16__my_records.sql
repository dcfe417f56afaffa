-- Issue 19: a user's own lists, newest first, paged by record id (API.md "me" lists).

-- Likes and favorites: each reaction gets a record id (time-ordered, from the id generator); a
-- like removed and given again is a new record, so it comes first again. Rows from before get an
-- id from their creation time (the generator's layout: milliseconds since 2026-01-01 above 12 bits),
-- the low bits from the post id so two reactions of one millisecond don't share an id.
ALTER TABLE post_reactions ADD COLUMN id BIGINT NOT NULL DEFAULT 0;
UPDATE post_reactions SET id = GREATEST(0, CAST(UNIX_TIMESTAMP(created_at) * 1000 AS SIGNED) - 1767225600000) * 4096 + post_id % 4096;
ALTER TABLE post_reactions ADD KEY idx_reactions_user_record (user_id, kind, id);

-- Detail pages opened: one row per user and post, whose id is the latest open's (a re-open moves
-- the post to the top); capped per user (feed.detail.history-cap). Written in merged batches by
-- the detail aggregator, which owns it.
CREATE TABLE view_history (
  user_id  BIGINT NOT NULL,
  post_id  BIGINT NOT NULL,
  id       BIGINT NOT NULL,
  PRIMARY KEY (user_id, post_id),
  KEY idx_history_user_record (user_id, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
