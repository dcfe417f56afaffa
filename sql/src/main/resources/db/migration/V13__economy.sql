-- The live-room economy (issue 17): wallets, a double-entry ledger, recharge orders, the gift
-- catalogue, gifts and anchor PKs. Owned by the live-economy module. Amounts are integer coins.

-- A user's spendable coins (balance) and what viewers gave them as an anchor (earnings). A row
-- never goes negative: every debit is a guarded UPDATE ... WHERE balance >= amount, and the
-- CHECKs refuse what a bug would still try.
CREATE TABLE wallets (
  user_id BIGINT NOT NULL PRIMARY KEY,
  balance BIGINT NOT NULL DEFAULT 0,
  earnings BIGINT NOT NULL DEFAULT 0,
  CONSTRAINT ck_wallet_balance CHECK (balance >= 0),
  CONSTRAINT ck_wallet_earnings CHECK (earnings >= 0)
) ENGINE=InnoDB;

-- Every change of any account is a set of legs written in one transaction whose amounts sum to
-- zero. Accounts: (user, COINS), (user, EARNINGS), and the platform's (0, PAYMENTS) — money that
-- came in through the payment provider — and (0, GIFTS_IN_TRANSIT) — coins debited for a gift and
-- not yet credited to its anchor. A user account's balance is the sum of its legs. The unique key
-- lets a leg be written once per event: a replayed callback or message can't add a second.
CREATE TABLE ledger_entries (
  id BIGINT NOT NULL PRIMARY KEY,
  txn_id BIGINT NOT NULL,
  account_owner BIGINT NOT NULL,
  account VARCHAR(16) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  amount BIGINT NOT NULL,
  kind VARCHAR(24) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  ref VARCHAR(64) NULL,
  created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  UNIQUE KEY uk_ledger_leg (txn_id, kind, account_owner, account),
  KEY ix_ledger_account (account_owner, account, id)
) ENGINE=InnoDB;

-- status: 0 PENDING, 1 PAID, 2 EXPIRED.
CREATE TABLE recharge_orders (
  id BIGINT NOT NULL PRIMARY KEY,
  user_id BIGINT NOT NULL,
  amount BIGINT NOT NULL,
  status TINYINT NOT NULL DEFAULT 0,
  idem_key VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  provider_ref VARCHAR(128) NULL,
  created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  settled_at DATETIME(3) NULL,
  UNIQUE KEY uk_recharge_idem (user_id, idem_key),
  KEY ix_recharge_pending (status, created_at)
) ENGINE=InnoDB;

CREATE TABLE gift_catalogue (
  id INT NOT NULL PRIMARY KEY,
  name VARCHAR(64) NOT NULL,
  price BIGINT NOT NULL,
  effect VARCHAR(32) CHARACTER SET ascii NOT NULL,
  CONSTRAINT ck_gift_price CHECK (price > 0)
) ENGINE=InnoDB;

INSERT INTO gift_catalogue (id, name, price, effect) VALUES
  (1, 'Rose', 1, 'petals'),
  (2, 'Heart', 10, 'hearts'),
  (3, 'Rocket', 100, 'rocket'),
  (4, 'Castle', 1000, 'castle'),
  (5, 'Galaxy', 5000, 'galaxy');

-- A gift: debited from the sender in the transaction that inserts it (with its ledger legs);
-- state 0 until its effects ran (broadcast, leaderboard, PK bar) and its anchor was credited,
-- then 1 (the transactional outbox: a sweep resends gifts left at 0). pk_id: the PK running in
-- the room when it was sent; pk_counted: the PK's bar took it (the bar is the sum of those).
CREATE TABLE gifts (
  id BIGINT NOT NULL PRIMARY KEY,
  room_id BIGINT NOT NULL,
  sender_id BIGINT NOT NULL,
  anchor_id BIGINT NOT NULL,
  gift_id INT NOT NULL,
  count INT NOT NULL,
  amount BIGINT NOT NULL,
  pk_id BIGINT NULL,
  idem_key VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  balance_after BIGINT NOT NULL,
  state TINYINT NOT NULL DEFAULT 0,
  pk_counted TINYINT NOT NULL DEFAULT 0,
  created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  UNIQUE KEY uk_gifts_idem (sender_id, idem_key),
  KEY ix_gifts_room (room_id, sender_id),
  KEY ix_gifts_pending (state, id),
  KEY ix_gifts_pk (pk_id, pk_counted)
) ENGINE=InnoDB;

-- status: 0 OPEN (an invitation), 1 RUNNING, 2 ENDED, 3 CANCELLED (never accepted).
CREATE TABLE pk_battles (
  id BIGINT NOT NULL PRIMARY KEY,
  status TINYINT NOT NULL DEFAULT 0,
  room_a BIGINT NOT NULL,
  anchor_a BIGINT NOT NULL,
  room_b BIGINT NULL,
  anchor_b BIGINT NULL,
  created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  ends_at DATETIME(3) NULL,
  score_a BIGINT NOT NULL DEFAULT 0,
  score_b BIGINT NOT NULL DEFAULT 0,
  winner BIGINT NULL,
  KEY ix_pk_status (status, id),
  KEY ix_pk_room_a (room_a, status),
  KEY ix_pk_room_b (room_b, status)
) ENGINE=InnoDB;

-- An anchor takes part in at most one OPEN or RUNNING PK: the row is inserted when they invite or
-- accept (a duplicate key is the 409) and deleted when the PK ends or is cancelled.
CREATE TABLE pk_anchors (
  anchor_id BIGINT NOT NULL PRIMARY KEY,
  pk_id BIGINT NOT NULL
) ENGINE=InnoDB;
