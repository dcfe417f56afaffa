-- Accounts and the follow graph. Ids come from the platform's leased id generator (time-ordered,
-- < 2^53), never AUTO_INCREMENT, so several app instances can create rows without coordination.

CREATE TABLE users (
  id               BIGINT       NOT NULL PRIMARY KEY,
  phone            VARCHAR(20)  NOT NULL,
  nickname         VARCHAR(50)  NOT NULL,
  followers_count  BIGINT       NOT NULL DEFAULT 0,
  following_count  BIGINT       NOT NULL DEFAULT 0,
  -- Sticky: once an account crossed the big-account threshold it stays pulled ("大V不能进行降级").
  big_account      TINYINT(1)   NOT NULL DEFAULT 0,
  last_active_at   DATETIME(3)  NULL,
  created_at       DATETIME(3)  NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  UNIQUE KEY uk_users_phone (phone)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE follows (
  follower_id  BIGINT       NOT NULL,
  followee_id  BIGINT       NOT NULL,
  created_at   DATETIME(3)  NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  -- The primary key makes a follow idempotent; the second index serves follower pages and fan-out.
  PRIMARY KEY (follower_id, followee_id),
  KEY idx_follows_followee (followee_id, follower_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
