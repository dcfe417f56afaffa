-- Counters. Who liked/favorited what is the durable truth for those two counts (exact, idempotent
-- by primary key); merged totals per post live in post_counters, applied from RocketMQ delta batches
-- exactly once (counter_batches remembers applied batch ids). version orders Redis copies.

CREATE TABLE post_reactions (
  post_id     BIGINT      NOT NULL,
  user_id     BIGINT      NOT NULL,
  -- 1 like, 2 favorite
  kind        TINYINT     NOT NULL,
  created_at  DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  PRIMARY KEY (post_id, user_id, kind),
  KEY idx_reactions_user (user_id, kind, post_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE post_counters (
  post_id    BIGINT NOT NULL PRIMARY KEY,
  likes      BIGINT NOT NULL DEFAULT 0,
  favorites  BIGINT NOT NULL DEFAULT 0,
  shares     BIGINT NOT NULL DEFAULT 0,
  views      BIGINT NOT NULL DEFAULT 0,
  comments   BIGINT NOT NULL DEFAULT 0,
  version    BIGINT NOT NULL DEFAULT 0
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE counter_batches (
  batch_id    CHAR(36)    NOT NULL PRIMARY KEY,
  applied_at  DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  KEY idx_counter_batches_applied (applied_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
