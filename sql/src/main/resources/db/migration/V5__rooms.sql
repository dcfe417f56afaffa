-- Live rooms. A room may be linked to one of its owner's posts (posts.live_room_id points back).
CREATE TABLE rooms (
  id          BIGINT       NOT NULL PRIMARY KEY,
  owner_id    BIGINT       NOT NULL,
  title       VARCHAR(200) NOT NULL,
  post_id     BIGINT       NULL,
  -- 0 open, 1 closed
  status      TINYINT      NOT NULL DEFAULT 0,
  created_at  DATETIME(3)  NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  closed_at   DATETIME(3)  NULL,
  KEY idx_rooms_status (status, id),
  KEY idx_rooms_owner (owner_id, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
