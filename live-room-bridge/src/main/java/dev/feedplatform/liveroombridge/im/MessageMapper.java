package dev.feedplatform.liveroombridge.im;

import java.util.List;

import org.apache.ibatis.annotations.Insert;
import org.apache.ibatis.annotations.Mapper;
import org.apache.ibatis.annotations.Param;
import org.apache.ibatis.annotations.Select;

/**
 * {@code im_messages} and the seq counter in {@code im_conversations}: the write path of a send
 * batch and the history reads. Annotations, not XML: each statement is short, and keeping it beside
 * its method keeps one owner's SQL in one file.
 */
@Mapper
interface MessageMapper {

	String COLUMNS = "msg_id AS msgId, conversation, seq, sender_id AS `from`, text, created_ms AS ts, device, client_seq AS clientSeq";

	/** The idempotency key of a send. */
	record SendKey(long senderId, String device, long clientSeq) {
	}

	/** A conversation gets {@code count} more messages in this batch, the newest being {@code lastMsgId}. */
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

	@Select("<script>SELECT " + COLUMNS + """
			 FROM im_messages WHERE (sender_id, device, client_seq) IN
			<foreach collection='keys' item='k' open='(' separator=',' close=')'>(#{k.senderId}, #{k.device}, #{k.clientSeq})</foreach>
			</script>""")
	List<StoredMessage> findSent(@Param("keys") List<SendKey> keys);

	@Select("""
			<script>SELECT group_id AS groupId, user_id AS userId FROM im_group_members WHERE (group_id, user_id) IN
			<foreach collection='pairs' item='p' open='(' separator=',' close=')'>(#{p.groupId}, #{p.userId})</foreach>
			</script>""")
	List<Membership> memberships(@Param("pairs") List<Membership> pairs);

	/** Rows in conversation-id order, so two batches lock counters in the same order and never deadlock. */
	@Insert("""
			<script>INSERT INTO im_conversations (id, max_seq, last_msg_id) VALUES
			<foreach collection='bumps' item='b' separator=','>(#{b.conversation}, #{b.count}, #{b.lastMsgId})</foreach>
			ON DUPLICATE KEY UPDATE max_seq = max_seq + VALUES(max_seq), last_msg_id = GREATEST(last_msg_id, VALUES(last_msg_id))
			</script>""")
	void bump(@Param("bumps") List<Bump> bumps);

	@Select("""
			<script>SELECT id AS conversation, max_seq AS maxSeq FROM im_conversations WHERE id IN
			<foreach collection='ids' item='id' open='(' separator=',' close=')'>#{id}</foreach> FOR UPDATE
			</script>""")
	List<Counter> counters(@Param("ids") List<String> ids);

	@Insert("""
			<script>INSERT INTO im_messages (conversation, seq, msg_id, sender_id, device, client_seq, text, created_ms) VALUES
			<foreach collection='messages' item='m' separator=','>(#{m.conversation}, #{m.seq}, #{m.msgId}, #{m.from}, #{m.device}, #{m.clientSeq}, #{m.text}, #{m.ts})</foreach>
			</script>""")
	void insert(@Param("messages") List<StoredMessage> messages);

	/** Rows in (user, conversation) order, for the same reason as {@link #bump}. */
	@Insert("""
			<script>INSERT INTO im_user_conversations (user_id, conversation, read_seq) VALUES
			<foreach collection='cursors' item='c' separator=','>(#{c.userId}, #{c.conversation}, #{c.readSeq})</foreach>
			ON DUPLICATE KEY UPDATE read_seq = GREATEST(read_seq, VALUES(read_seq))
			</script>""")
	void upsertReadCursors(@Param("cursors") List<ReadCursor> cursors);

	/** Messages with {@code after < seq < before}, oldest first. */
	@Select("SELECT " + COLUMNS + " FROM im_messages WHERE conversation = #{conversation} AND seq > #{after} AND seq < #{before} ORDER BY seq LIMIT #{limit}")
	List<StoredMessage> after(@Param("conversation") String conversation, @Param("after") long after, @Param("before") long before,
			@Param("limit") int limit);

	/** The newest messages with {@code seq < before}, newest first. */
	@Select("SELECT " + COLUMNS + " FROM im_messages WHERE conversation = #{conversation} AND seq < #{before} ORDER BY seq DESC LIMIT #{limit}")
	List<StoredMessage> before(@Param("conversation") String conversation, @Param("before") long before, @Param("limit") int limit);

	@Select("<script>SELECT " + COLUMNS + """
			 FROM im_messages WHERE msg_id IN
			<foreach collection='ids' item='id' open='(' separator=',' close=')'>#{id}</foreach>
			</script>""")
	List<StoredMessage> byIds(@Param("ids") List<Long> ids);

	@Select("SELECT max_seq FROM im_conversations WHERE id = #{conversation}")
	Long maxSeq(@Param("conversation") String conversation);

}
