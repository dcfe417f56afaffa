-- The durable copy of each id worker slot's floor (issue 14): the latest epoch millisecond its
-- holder may mint in. Redis keeps the lease and a short floor; this row survives Redis losing its
-- data, so a holder after a Redis restart never repeats an id of the holder before it.
CREATE TABLE id_worker_floors (
  worker   SMALLINT NOT NULL PRIMARY KEY,
  floor_ms BIGINT   NOT NULL
) ENGINE=InnoDB;
