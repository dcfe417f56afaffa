package dev.feedplatform.economy.redpacket;

import java.time.LocalDateTime;
import java.util.List;

import org.apache.ibatis.annotations.Insert;
import org.apache.ibatis.annotations.Mapper;
import org.apache.ibatis.annotations.Param;
import org.apache.ibatis.annotations.Select;
import org.apache.ibatis.annotations.Update;

/**
 * {@code red_packet_grants}, {@code red_packet_rains} and {@code red_packet_grabs}:
 * written only by {@link Rains}.
 */
@Mapper
interface RainMapper {

	/** A rain as stored; {@code status} 0 READY, 1 RUNNING, 2 ENDED. */
	record Rain(long id, long roomId, long ownerId, long total, int count, int perUser, int durationS, String packets,
			int status, int announced, LocalDateTime endsAt, long refunded, String idemKey) {
	}

	/** What the grabs of a rain add up to. */
	record Taken(long grabs, long amount) {
	}

	@Insert("INSERT IGNORE INTO red_packet_grants (user_id, granted_by) VALUES (#{user}, #{by})")
	void grant(@Param("user") long user, @Param("by") long by);

	@Select("SELECT COUNT(*) > 0 FROM red_packet_grants WHERE user_id = #{user}")
	boolean granted(@Param("user") long user);

	@Insert("""
			INSERT INTO red_packet_rains (id, room_id, owner_id, total, count, per_user, duration_s, packets, idem_key)
			VALUES (#{r.id}, #{r.roomId}, #{r.ownerId}, #{r.total}, #{r.count}, #{r.perUser}, #{r.durationS}, #{r.packets}, #{r.idemKey})""")
	void insert(@Param("r") Rain rain);

	String COLUMNS = "id, room_id, owner_id, total, count, per_user, duration_s, packets, status, announced, ends_at, refunded, idem_key";

	@Select("SELECT " + COLUMNS + " FROM red_packet_rains WHERE id = #{id}")
	Rain find(@Param("id") long id);

	@Select("SELECT " + COLUMNS + " FROM red_packet_rains WHERE owner_id = #{owner} AND idem_key = #{key}")
	Rain byKey(@Param("owner") long owner, @Param("key") String key);

	/** READY → RUNNING, once: 1 for the call that started it. */
	@Update("UPDATE red_packet_rains SET status = 1, ends_at = #{endsAt} WHERE id = #{id} AND status = 0")
	int start(@Param("id") long id, @Param("endsAt") LocalDateTime endsAt);

	/** Marks the running rain announced, once: 1 for the call that sends the frame. */
	@Update("UPDATE red_packet_rains SET announced = 1 WHERE id = #{id} AND status = 1 AND announced = 0")
	int announce(@Param("id") long id);

	/**
	 * RUNNING → ENDED, once: 1 for the call that ended it (the row stays locked until its
	 * transaction ends).
	 */
	@Update("UPDATE red_packet_rains SET status = 2 WHERE id = #{id} AND status = 1")
	int close(@Param("id") long id);

	@Update("UPDATE red_packet_rains SET refunded = #{refunded} WHERE id = #{id}")
	void refunded(@Param("id") long id, @Param("refunded") long refunded);

	/**
	 * The rain's status under a shared lock: credits run side by side, the end waits for
	 * them (and they for it).
	 */
	@Select("SELECT status FROM red_packet_rains WHERE id = #{id} LOCK IN SHARE MODE")
	Integer statusShared(@Param("id") long id);

	/**
	 * Running rains whose window closed before {@code before}: the sweep ends them if
	 * their message didn't.
	 */
	@Select("SELECT id FROM red_packet_rains WHERE status = 1 AND ends_at < #{before} ORDER BY ends_at LIMIT #{limit}")
	List<Long> overdue(@Param("before") LocalDateTime before, @Param("limit") int limit);

	/** 1 when stored, 0 when the packet was credited before. */
	@Insert("INSERT IGNORE INTO red_packet_grabs (id, rain_id, packet, user_id, amount) VALUES (#{id}, #{rain}, #{packet}, #{user}, #{amount})")
	int insertGrab(@Param("id") long id, @Param("rain") long rain, @Param("packet") int packet,
			@Param("user") long user, @Param("amount") long amount);

	@Select("SELECT COUNT(*) AS grabs, COALESCE(SUM(amount), 0) AS amount FROM red_packet_grabs WHERE rain_id = #{rain}")
	Taken taken(@Param("rain") long rain);

}
