-- IM (chat): groups, conversations with their sequence counter, messages, per-user read cursors and
-- per-device delivery cursors. Owned by live-room-bridge's im feature (MyBatis mappers in im/).

CREATE TABLE im_groups (
  id          BIGINT       NOT NULL PRIMARY KEY,
  name        VARCHAR(100) NOT NULL,
  owner_id    BIGINT       NOT NULL,
  created_at  DATETIME(3)  NOT NULL DEFAULT CURRENT_TIMESTAMP(3)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE im_group_members (
  group_id    BIGINT       NOT NULL,
  user_id     BIGINT       NOT NULL,
  joined_at   DATETIME(3)  NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  PRIMARY KEY (group_id, user_id),
  KEY idx_im_group_members_user (user_id, group_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- One row per conversation ('d:<small>:<large>' or 'g:<group id>'). max_seq is the sequence
-- counter: it moves in the same transaction as the message rows it numbers, so seq is dense and
-- durable by construction (a rolled-back batch takes its numbers with it; nothing lives in Redis).
CREATE TABLE im_conversations (
  id           VARCHAR(48)  NOT NULL PRIMARY KEY,
  max_seq      BIGINT       NOT NULL DEFAULT 0,
  last_msg_id  BIGINT       NOT NULL DEFAULT 0
) ENGINE=InnoDB DEFAULT CHARSET=ascii COLLATE=ascii_bin;

-- Permanent history. (sender, device, client_seq) is the idempotency key of a send.
CREATE TABLE im_messages (
  conversation  VARCHAR(48)  CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  seq           BIGINT       NOT NULL,
  msg_id        BIGINT       NOT NULL,
  sender_id     BIGINT       NOT NULL,
  device        VARCHAR(64)  CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  client_seq    BIGINT       NOT NULL,
  text          TEXT         NOT NULL,
  created_ms    BIGINT       NOT NULL,
  PRIMARY KEY (conversation, seq),
  UNIQUE KEY uk_im_messages_id (msg_id),
  UNIQUE KEY uk_im_messages_send (sender_id, device, client_seq)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- A user's conversations (the list page) and read cursor: unread = max_seq - read_seq.
CREATE TABLE im_user_conversations (
  user_id       BIGINT       NOT NULL,
  conversation  VARCHAR(48)  CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  read_seq      BIGINT       NOT NULL DEFAULT 0,
  PRIMARY KEY (user_id, conversation)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- How far a named device (handshake &device=) has acknowledged each conversation: where delivery
-- resumes when it reconnects, on any node. Written in batches (once a second per node), so it can
-- lag a little: a device may get a message again after a crash, never miss one.
CREATE TABLE im_device_cursors (
  user_id       BIGINT       NOT NULL,
  device        VARCHAR(64)  CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  conversation  VARCHAR(48)  CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  acked_seq     BIGINT       NOT NULL,
  PRIMARY KEY (user_id, device, conversation)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
