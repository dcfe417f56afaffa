package dev.feedplatform.liveroombridge.im;

import java.util.List;

import org.apache.ibatis.annotations.Insert;
import org.apache.ibatis.annotations.Mapper;
import org.apache.ibatis.annotations.Param;
import org.apache.ibatis.annotations.Select;

/**
 * {@code im_messages} and the seq counter in {@code im_conversations}: the write path of
 * a send batch and the history reads. Annotations, not XML: each statement is short, and
 * keeping it beside its method keeps one owner's SQL in one file.
 */
@Mapper
interface MessageMapper {

	String COLUMNS = "msg_id AS msgId, conversation, seq, sender_id AS `from`, text, created_ms AS ts, device, client_seq AS clientSeq";

	/** The idempotency key of a send. */
	record SendKey(long senderId, String device, long clientSeq) {
	}

	/**
	 * A conversation gets {@code count} more messages in this batch, the newest being
	 * {@code lastMsgId}.
	 */
	record Bump(String conversation, int count, long lastMsgId) {
	}

	/** A conversation's seq counter after a bump. */
	record Counter(String conversation, long maxSeq) {
	}

	/** Who is a member of which group, among the pairs asked about. */
	record Membership(long groupId, long userId) {
	}

	/** A read cursor to upsert (never moved back). */
	record ReadCursor(long userId, String conversation, long readSeq) {
	}

	@Select("<script>SELECT " + COLUMNS
			+ """
					 FROM im_messages WHERE (sender_id, device, client_seq) IN
					<foreach collection='keys' item='k' open='(' separator=',' close=')'>(#{k.senderId}, #{k.device}, #{k.clientSeq})</foreach>
					</script>""")
	List<StoredMessage> findSent(@Param("keys") List<SendKey> keys);

	@Select("""
			<script>SELECT group_id AS groupId, user_id AS userId FROM im_group_members WHERE (group_id, user_id) IN
			<foreach collection='pairs' item='p' open='(' separator=',' close=')'>(#{p.groupId}, #{p.userId})</foreach>
			</script>""")
	List<Membership> memberships(@Param("pairs") List<Membership> pairs);

	/**
	 * One conversation's counter moves by its new messages. Called in conversation-id
	 * order within a batch, so two batches lock counters in the same order and never
	 * deadlock. (Single-row statements, run through MyBatis's batch executor: one JDBC
	 * batch, MariaDB's bulk protocol. A {@code <foreach>} over hundreds of rows cost more
	 * CPU in MyBatis's dynamic SQL than the database spent on the rows.)
	 */
	@Insert("""
			INSERT INTO im_conversations (id, max_seq, last_msg_id) VALUES (#{conversation}, #{count}, #{lastMsgId})
			ON DUPLICATE KEY UPDATE max_seq = max_seq + VALUES(max_seq), last_msg_id = GREATEST(last_msg_id, VALUES(last_msg_id))""")
	void bump(Bump bump);

	@Select("""
			<script>SELECT id AS conversation, max_seq AS maxSeq FROM im_conversations WHERE id IN
			<foreach collection='ids' item='id' open='(' separator=',' close=')'>#{id}</foreach> FOR UPDATE
			</script>""")
	List<Counter> counters(@Param("ids") List<String> ids);

	@Insert("""
			INSERT INTO im_messages (conversation, seq, msg_id, sender_id, device, client_seq, text, created_ms)
			VALUES (#{conversation}, #{seq}, #{msgId}, #{from}, #{device}, #{clientSeq}, #{text}, #{ts})""")
	void insert(StoredMessage message);

	/** Called in (user, conversation) order, for the same reason as {@link #bump}. */
	@Insert("""
			INSERT INTO im_user_conversations (user_id, conversation, read_seq) VALUES (#{userId}, #{conversation}, #{readSeq})
			ON DUPLICATE KEY UPDATE read_seq = GREATEST(read_seq, VALUES(read_seq))""")
	void upsertReadCursor(ReadCursor cursor);

	/** Messages with {@code after < seq < before}, oldest first. */
	@Select("SELECT " + COLUMNS
			+ " FROM im_messages WHERE conversation = #{conversation} AND seq > #{after} AND seq < #{before} ORDER BY seq LIMIT #{limit}")
	List<StoredMessage> after(@Param("conversation") String conversation, @Param("after") long after,
			@Param("before") long before, @Param("limit") int limit);

	/** The newest messages with {@code seq < before}, newest first. */
	@Select("SELECT " + COLUMNS
			+ " FROM im_messages WHERE conversation = #{conversation} AND seq < #{before} ORDER BY seq DESC LIMIT #{limit}")
	List<StoredMessage> before(@Param("conversation") String conversation, @Param("before") long before,
			@Param("limit") int limit);

	@Select("<script>SELECT " + COLUMNS + """
			 FROM im_messages WHERE msg_id IN
			<foreach collection='ids' item='id' open='(' separator=',' close=')'>#{id}</foreach>
			</script>""")
	List<StoredMessage> byIds(@Param("ids") List<Long> ids);

	@Select("SELECT max_seq FROM im_conversations WHERE id = #{conversation}")
	Long maxSeq(@Param("conversation") String conversation);

}
