-- Posts and the retraction/moderation blacklist.

CREATE TABLE posts (
  id            BIGINT        NOT NULL PRIMARY KEY,
  author_id     BIGINT        NOT NULL,
  type          VARCHAR(8)    NOT NULL,
  title         VARCHAR(200)  NOT NULL,
  body          TEXT          NULL,
  media         TEXT          NOT NULL,   -- newline-separated URLs (validated: no whitespace inside)
  cover         VARCHAR(1024) NULL,
  live_room_id  BIGINT        NULL,
  -- 0 visible, 1 retracted by its author.
  status        TINYINT       NOT NULL DEFAULT 0,
  -- 0 fan-out not yet enqueued, 1 enqueued: the recovery sweep re-enqueues what a crash left at 0.
  fanout_state  TINYINT       NOT NULL DEFAULT 0,
  created_at    DATETIME(3)   NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  KEY idx_posts_author (author_id, id),
  KEY idx_posts_fanout (fanout_state, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The durable copy of the Redis blacklist: Redis keeps nothing on disk, so it is reloaded from here.
CREATE TABLE post_blacklist (
  post_id     BIGINT       NOT NULL PRIMARY KEY,
  reason      VARCHAR(16)  NOT NULL,
  created_at  DATETIME(3)  NOT NULL DEFAULT CURRENT_TIMESTAMP(3)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
