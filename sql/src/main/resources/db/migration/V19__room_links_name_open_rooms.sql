-- Issue 22, after V18 (kept as applied): every post's live_room_id names its open room, or
-- nothing. V18 closed duplicate open rooms without repairing the posts that linked to them.
UPDATE posts p JOIN rooms r ON r.post_id = p.id AND r.status = 0
   SET p.live_room_id = r.id
 WHERE NOT (p.live_room_id <=> r.id);
UPDATE posts p LEFT JOIN rooms r ON r.id = p.live_room_id AND r.status = 0
   SET p.live_room_id = NULL
 WHERE p.live_room_id IS NOT NULL AND r.id IS NULL;
