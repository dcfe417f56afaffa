-- Comments on posts, paged newest first by id (time-ordered ids from the leased generator).
CREATE TABLE comments (
  id          BIGINT        NOT NULL PRIMARY KEY,
  post_id     BIGINT        NOT NULL,
  author_id   BIGINT        NOT NULL,
  body        VARCHAR(2000) NOT NULL,
  created_at  DATETIME(3)   NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  KEY idx_comments_post (post_id, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
