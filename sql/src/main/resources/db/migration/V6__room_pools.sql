-- A room's barrage pool may be split over several Redis sorted sets (each its own Cluster slot),
-- so one very busy room doesn't make one hot key.
ALTER TABLE rooms ADD COLUMN pools TINYINT NOT NULL DEFAULT 1;
