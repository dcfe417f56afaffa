package dev.feedplatform.economy.pk;

import java.time.LocalDateTime;
import java.util.List;

import org.apache.ibatis.annotations.Delete;
import org.apache.ibatis.annotations.Insert;
import org.apache.ibatis.annotations.Mapper;
import org.apache.ibatis.annotations.Param;
import org.apache.ibatis.annotations.Select;
import org.apache.ibatis.annotations.Update;

/**
 * {@code pk_battles} and {@code pk_anchors}, and the PK's sums over {@code gifts} (the
 * bar's ledger).
 */
@Mapper
interface PkMapper {

	/** A PK row; status 0 OPEN, 1 RUNNING, 2 ENDED, 3 CANCELLED. */
	record Battle(long id, int status, long roomA, long anchorA, Long roomB, Long anchorB, LocalDateTime endsAt,
			long scoreA, long scoreB, Long winner) {
	}

	/** What the ledger says an anchor was given during a PK. */
	record Score(long anchorId, long amount) {
	}

	String COLUMNS = "id, status, room_a, anchor_a, room_b, anchor_b, ends_at, score_a, score_b, winner";

	@Insert("INSERT INTO pk_battles (id, room_a, anchor_a) VALUES (#{id}, #{room}, #{anchor})")
	void invite(@Param("id") long id, @Param("room") long roomId, @Param("anchor") long anchorId);

	/** The anchor takes part in this PK; a duplicate key when they are in another one. */
	@Insert("INSERT INTO pk_anchors (anchor_id, pk_id) VALUES (#{anchor}, #{pk})")
	void claim(@Param("anchor") long anchorId, @Param("pk") long pkId);

	@Delete("DELETE FROM pk_anchors WHERE pk_id = #{pk}")
	void release(@Param("pk") long pkId);

	/**
	 * The one accept that finds the invitation still open wins; 0 rows for everyone else.
	 */
	@Update("""
			UPDATE pk_battles SET status = 1, room_b = #{room}, anchor_b = #{anchor}, ends_at = #{endsAt}
			WHERE id = #{id} AND status = 0 AND anchor_a <> #{anchor}""")
	int accept(@Param("id") long id, @Param("room") long roomId, @Param("anchor") long anchorId,
			@Param("endsAt") LocalDateTime endsAt);

	@Update("UPDATE pk_battles SET status = 2, winner = #{winner}, score_a = #{a}, score_b = #{b} WHERE id = #{id} AND status = 1")
	int end(@Param("id") long id, @Param("winner") Long winner, @Param("a") long scoreA, @Param("b") long scoreB);

	@Update("UPDATE pk_battles SET status = 3 WHERE id = #{id} AND status = 0")
	int cancel(@Param("id") long id);

	@Select("SELECT " + COLUMNS + " FROM pk_battles WHERE id = #{id}")
	Battle find(@Param("id") long id);

	@Select("SELECT " + COLUMNS
			+ " FROM pk_battles WHERE status = 1 AND (room_a = #{room} OR room_b = #{room}) ORDER BY id DESC LIMIT 1")
	Battle runningIn(@Param("room") long roomId);

	@Select("""
			<script>SELECT id, status, room_a, anchor_a, room_b, anchor_b, ends_at, score_a, score_b, winner FROM pk_battles
			WHERE status = #{status} <if test='below != null'>AND id &lt; #{below}</if> ORDER BY id DESC LIMIT #{limit}</script>""")
	List<Battle> page(@Param("status") int status, @Param("below") Long below, @Param("limit") int limit);

	/**
	 * Running PKs past their deadline by {@code seconds}, and invitations older than
	 * {@code inviteSeconds}: the sweep's work.
	 */
	@Select("""
			SELECT id, status, room_a, anchor_a, room_b, anchor_b, ends_at, score_a, score_b, winner FROM pk_battles
			WHERE (status = 1 AND ends_at < CURRENT_TIMESTAMP(3) - INTERVAL #{seconds} SECOND)
			   OR (status = 0 AND created_at < CURRENT_TIMESTAMP(3) - INTERVAL #{inviteSeconds} SECOND) LIMIT 100""")
	List<Battle> overdue(@Param("seconds") long seconds, @Param("inviteSeconds") long inviteSeconds);

	/** Gifts tagged with the PK whose effects (and bar decision) have not run yet. */
	@Select("SELECT COUNT(*) FROM gifts WHERE pk_id = #{pk} AND state = 0")
	int pendingGifts(@Param("pk") long pkId);

	@Select("SELECT anchor_id, SUM(amount) AS amount FROM gifts WHERE pk_id = #{pk} AND pk_counted = 1 GROUP BY anchor_id")
	List<Score> counted(@Param("pk") long pkId);

}
