-- The search sync's heartbeat: the sync leader writes the wall clock here every half second; the
-- row travels MariaDB -> binlog -> Canal -> sync -> search node like any post, and every instance
-- measures lag as "first seen in a search" minus the written time. Unlike a lag derived from binlog
-- event timestamps (whole seconds, and silent when nothing changes), this one keeps growing when any
-- stage stalls.
CREATE TABLE search_heartbeat (
  id       TINYINT NOT NULL PRIMARY KEY,
  beat_ms  BIGINT  NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
