-- Issue 22: a post links to at most one open room. The unique key is on a column that holds the
-- post id only while the room is open (NULLs don't collide), so two racing opens for one post
-- can't both commit, and a closed room frees its post.
-- Rooms opened twice for one post before this rule: the newest stays open.
UPDATE rooms r
  JOIN (SELECT post_id, MAX(id) AS keep_id FROM rooms WHERE status = 0 AND post_id IS NOT NULL GROUP BY post_id HAVING COUNT(*) > 1) d
    ON r.post_id = d.post_id AND r.id <> d.keep_id
   SET r.status = 1, r.closed_at = CURRENT_TIMESTAMP(3)
 WHERE r.status = 0;

ALTER TABLE rooms
  ADD COLUMN open_post_id BIGINT AS (IF(status = 0, post_id, NULL)) PERSISTENT,
  ADD UNIQUE KEY uk_rooms_open_post (open_post_id);
