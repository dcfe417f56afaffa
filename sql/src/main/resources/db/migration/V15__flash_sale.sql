-- Live-commerce flash sale (issue 18, seed 001 直播带货), owned by live-economy's sale package.
-- stock is what the seller put up; sold grows in the payment's transaction; stock_left mirrors
-- Redis (synced every 15 s: what a quiet period agrees on). Redis is rebuilt from
-- stock - sold - the lines of HELD orders, so it never sells what isn't there.
-- status 0 PENDING (waiting for a moderator), 1 APPROVED.
CREATE TABLE goods (
  id BIGINT NOT NULL PRIMARY KEY,
  seller_id BIGINT NOT NULL,
  name VARCHAR(100) NOT NULL,
  price BIGINT NOT NULL,
  stock INT NOT NULL,
  sold INT NOT NULL DEFAULT 0,
  stock_left INT NOT NULL,
  per_user_limit INT NOT NULL,
  status TINYINT NOT NULL DEFAULT 0,
  created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  KEY ix_goods_seller (seller_id, id),
  CONSTRAINT ck_goods_numbers CHECK (price > 0 AND stock >= 0 AND sold >= 0 AND sold <= stock AND per_user_limit > 0)
) ENGINE=InnoDB;

CREATE TABLE room_shelves (
  room_id BIGINT NOT NULL,
  goods_id BIGINT NOT NULL,
  created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  PRIMARY KEY (room_id, goods_id)
) ENGINE=InnoDB;

-- A pre-order: status 0 HELD (stock held until pay_by), 1 PAID, 2 EXPIRED. settled = 1 once Redis
-- has been told (the holds confirmed or released): what the sweep finishes after a crash.
CREATE TABLE sale_orders (
  id BIGINT NOT NULL PRIMARY KEY,
  buyer_id BIGINT NOT NULL,
  room_id BIGINT NOT NULL,
  seller_id BIGINT NOT NULL,
  amount BIGINT NOT NULL,
  status TINYINT NOT NULL DEFAULT 0,
  settled TINYINT NOT NULL DEFAULT 0,
  pay_by DATETIME(3) NOT NULL,
  idem_key VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  dropped VARCHAR(2000) CHARACTER SET ascii COLLATE ascii_bin NOT NULL DEFAULT '',
  created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  UNIQUE KEY uk_order_buyer_key (buyer_id, idem_key),
  KEY ix_order_status_pay_by (status, pay_by),
  KEY ix_order_settled (settled, status)
) ENGINE=InnoDB;

CREATE TABLE sale_order_lines (
  order_id BIGINT NOT NULL,
  goods_id BIGINT NOT NULL,
  quantity INT NOT NULL,
  price BIGINT NOT NULL,
  PRIMARY KEY (order_id, goods_id),
  KEY ix_line_goods (goods_id)
) ENGINE=InnoDB;
