-- Red-packet rain (issue 18, seed 001 红包雨), owned by live-economy's redpacket package.
-- A moderator grants a user the right to hold rains.
CREATE TABLE red_packet_grants (
  user_id BIGINT NOT NULL PRIMARY KEY,
  granted_by BIGINT NOT NULL,
  created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3)
) ENGINE=InnoDB;

-- A rain: its budget was moved from the owner's coins to the platform's RED_PACKETS account when it
-- was prepared (same transaction as this row). packets holds the split (comma-separated amounts,
-- in grab order), so Redis can be loaded from it before the rain is announced. status 0 READY,
-- 1 RUNNING, 2 ENDED; announced = 1 once the start's frame went out (guarded: once per rain).
CREATE TABLE red_packet_rains (
  id BIGINT NOT NULL PRIMARY KEY,
  room_id BIGINT NOT NULL,
  owner_id BIGINT NOT NULL,
  total BIGINT NOT NULL,
  count INT NOT NULL,
  per_user INT NOT NULL,
  duration_s INT NOT NULL,
  packets MEDIUMTEXT CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  status TINYINT NOT NULL DEFAULT 0,
  announced TINYINT NOT NULL DEFAULT 0,
  ends_at DATETIME(3) NULL,
  refunded BIGINT NOT NULL DEFAULT 0,
  idem_key VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  UNIQUE KEY uk_rain_owner_key (owner_id, idem_key),
  KEY ix_rain_status_end (status, ends_at),
  CONSTRAINT ck_rain_positive CHECK (total > 0 AND count > 0 AND count <= total)
) ENGINE=InnoDB;

-- A packet taken and credited: one row per (rain, packet), written with its ledger legs, so a
-- redelivered credit finds the row and moves nothing.
CREATE TABLE red_packet_grabs (
  id BIGINT NOT NULL PRIMARY KEY,
  rain_id BIGINT NOT NULL,
  packet INT NOT NULL,
  user_id BIGINT NOT NULL,
  amount BIGINT NOT NULL,
  created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  UNIQUE KEY uk_grab_packet (rain_id, packet),
  KEY ix_grab_user (user_id, id)
) ENGINE=InnoDB;
