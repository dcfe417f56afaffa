-- A room's own barrage rate and sample share (NULL: the node's feed.barrage.* defaults), fixed at
-- opening like its pools, so every node may cache them.
ALTER TABLE rooms ADD COLUMN rate INT NULL, ADD COLUMN sample_keep DOUBLE NULL;
