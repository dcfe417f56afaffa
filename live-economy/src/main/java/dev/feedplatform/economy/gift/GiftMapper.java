package dev.feedplatform.economy.gift;

import java.util.List;

import org.apache.ibatis.annotations.Insert;
import org.apache.ibatis.annotations.Mapper;
import org.apache.ibatis.annotations.Param;
import org.apache.ibatis.annotations.Select;
import org.apache.ibatis.annotations.Update;

/** {@code gift_catalogue} and {@code gifts}. */
@Mapper
interface GiftMapper {

	/**
	 * A catalogue entry: {@code price} in coins, {@code effect} the animation clients
	 * play.
	 */
	record Kind(int id, String name, long price, String effect) {
	}

	/** A stored gift. */
	record Gift(long id, long roomId, long senderId, long anchorId, int giftId, int count, long amount, Long pkId,
			String idemKey, long balanceAfter, int state) {
	}

	/** A sender's total in a room. */
	record Total(long senderId, long amount) {
	}

	@Select("SELECT id, name, price, effect FROM gift_catalogue ORDER BY price, id")
	List<Kind> catalogue();

	@Insert("""
			INSERT INTO gifts (id, room_id, sender_id, anchor_id, gift_id, count, amount, pk_id, idem_key, balance_after)
			VALUES (#{g.id}, #{g.roomId}, #{g.senderId}, #{g.anchorId}, #{g.giftId}, #{g.count}, #{g.amount}, #{g.pkId}, #{g.idemKey}, #{g.balanceAfter})""")
	void insert(@Param("g") Gift gift);

	String COLUMNS = "id, room_id, sender_id, anchor_id, gift_id, count, amount, pk_id, idem_key, balance_after, state";

	@Select("SELECT " + COLUMNS + " FROM gifts WHERE sender_id = #{sender} AND idem_key = #{key}")
	Gift byKey(@Param("sender") long sender, @Param("key") String key);

	@Select("""
			<script>SELECT id, room_id, sender_id, anchor_id, gift_id, count, amount, pk_id, idem_key, balance_after, state FROM gifts
			WHERE id IN <foreach collection='ids' item='i' open='(' separator=',' close=')'>#{i}</foreach></script>""")
	List<Gift> byIds(@Param("ids") List<Long> ids);

	/**
	 * Of these gifts, those whose effects are not done yet (no lock: a look before the
	 * effects).
	 */
	@Select("""
			<script>SELECT id FROM gifts WHERE state = 0 AND id IN
			<foreach collection='ids' item='i' open='(' separator=',' close=')'>#{i}</foreach></script>""")
	List<Long> pending(@Param("ids") List<Long> ids);

	/**
	 * Of these gifts, those whose effects are not done yet, locked until the transaction
	 * ends (in id order).
	 */
	@Select("""
			<script>SELECT id FROM gifts WHERE state = 0 AND id IN
			<foreach collection='ids' item='i' open='(' separator=',' close=')'>#{i}</foreach> ORDER BY id FOR UPDATE</script>""")
	List<Long> lockPending(@Param("ids") List<Long> ids);

	/** Marks the gifts' effects done (rows locked by {@link #lockPending}). */
	@Update("""
			<script>UPDATE gifts SET state = 1 WHERE id IN
			<foreach collection='ids' item='i' open='(' separator=',' close=')'>#{i}</foreach></script>""")
	void settleAll(@Param("ids") List<Long> ids);

	/** The PK's bar took these gifts: they are part of its ledger sum. */
	@Update("""
			<script>UPDATE gifts SET pk_counted = 1 WHERE id IN
			<foreach collection='ids' item='i' open='(' separator=',' close=')'>#{i}</foreach></script>""")
	void countInPk(@Param("ids") List<Long> ids);

	/**
	 * Gifts whose effects have not run though they were debited {@code seconds} ago or
	 * more.
	 */
	@Select("SELECT " + COLUMNS
			+ " FROM gifts WHERE state = 0 AND created_at < CURRENT_TIMESTAMP(3) - INTERVAL #{seconds} SECOND ORDER BY id LIMIT #{limit}")
	List<Gift> stale(@Param("seconds") long seconds, @Param("limit") int limit);

	@Select("SELECT sender_id, SUM(amount) AS amount FROM gifts WHERE room_id = #{room} GROUP BY sender_id")
	List<Total> roomTotals(@Param("room") long roomId);

	@Select("SELECT id FROM gifts WHERE room_id = #{room} AND state = 0")
	List<Long> roomInFlight(@Param("room") long roomId);

}
