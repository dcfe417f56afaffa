package dev.feedplatform.liveroombridge.im;

import java.util.List;

import org.apache.ibatis.annotations.Insert;
import org.apache.ibatis.annotations.Mapper;
import org.apache.ibatis.annotations.Param;
import org.apache.ibatis.annotations.Select;
import org.apache.ibatis.annotations.Update;

/**
 * A user's side of their conversations: the list page, the read cursor
 * ({@code im_user_conversations}) and where each named device stands
 * ({@code im_device_cursors}).
 */
@Mapper
interface ConversationMapper {

	/** One row of the conversation list. */
	record Listed(String conversation, long maxSeq, long readSeq, long lastMsgId) {
	}

	/**
	 * Where a device stands in a conversation: its acknowledged seq (null: never
	 * recorded) and the user's read seq.
	 */
	record Position(String conversation, long maxSeq, long readSeq, Long ackedSeq) {

		/** What the device has: its own acknowledgement, else what its user has read. */
		long base() {
			return this.ackedSeq != null ? this.ackedSeq : this.readSeq;
		}

	}

	/** A device's acknowledged position, to save. */
	record DeviceCursor(long userId, String device, String conversation, long ackedSeq) {
	}

	@Select("""
			SELECT uc.conversation AS conversation, c.max_seq AS maxSeq, uc.read_seq AS readSeq, c.last_msg_id AS lastMsgId
			FROM im_user_conversations uc JOIN im_conversations c ON c.id = uc.conversation
			WHERE uc.user_id = #{userId} AND c.last_msg_id < #{below}
			ORDER BY c.last_msg_id DESC LIMIT #{limit}""")
	List<Listed> page(@Param("userId") long userId, @Param("below") long below, @Param("limit") int limit);

	@Select("""
			SELECT uc.conversation AS conversation, c.max_seq AS maxSeq, uc.read_seq AS readSeq, dc.acked_seq AS ackedSeq
			FROM im_user_conversations uc JOIN im_conversations c ON c.id = uc.conversation
			LEFT JOIN im_device_cursors dc ON dc.user_id = uc.user_id AND dc.device = #{device} AND dc.conversation = uc.conversation
			WHERE uc.user_id = #{userId}
			ORDER BY c.last_msg_id DESC LIMIT #{limit}""")
	List<Position> resume(@Param("userId") long userId, @Param("device") String device, @Param("limit") int limit);

	@Select("""
			SELECT uc.conversation AS conversation, c.max_seq AS maxSeq, uc.read_seq AS readSeq, dc.acked_seq AS ackedSeq
			FROM im_user_conversations uc JOIN im_conversations c ON c.id = uc.conversation
			LEFT JOIN im_device_cursors dc ON dc.user_id = uc.user_id AND dc.device = #{device} AND dc.conversation = uc.conversation
			WHERE uc.user_id = #{userId} AND uc.conversation = #{conversation}""")
	Position position(@Param("userId") long userId, @Param("device") String device,
			@Param("conversation") String conversation);

	/** Rows in key order: two nodes flushing at once lock them in the same order. */
	@Insert("""
			<script>INSERT INTO im_device_cursors (user_id, device, conversation, acked_seq) VALUES
			<foreach collection='cursors' item='c' separator=','>(#{c.userId}, #{c.device}, #{c.conversation}, #{c.ackedSeq})</foreach>
			ON DUPLICATE KEY UPDATE acked_seq = GREATEST(acked_seq, VALUES(acked_seq))
			</script>""")
	void saveCursors(@Param("cursors") List<DeviceCursor> cursors);

	/**
	 * Moves the read cursor forward, never past the last message and never back; 0 rows
	 * when the user has no such conversation.
	 */
	@Update("""
			UPDATE im_user_conversations uc JOIN im_conversations c ON c.id = uc.conversation
			SET uc.read_seq = GREATEST(uc.read_seq, LEAST(#{seq}, c.max_seq))
			WHERE uc.user_id = #{userId} AND uc.conversation = #{conversation}""")
	int moveRead(@Param("userId") long userId, @Param("conversation") String conversation, @Param("seq") long seq);

	@Select("SELECT read_seq FROM im_user_conversations WHERE user_id = #{userId} AND conversation = #{conversation}")
	Long readSeq(@Param("userId") long userId, @Param("conversation") String conversation);

	/** A user's 1:1 conversation. */
	record Direct(long userId, String conversation) {
	}

	/**
	 * The 1:1 conversations of several users at once (whose other sides are their
	 * contacts for presence).
	 */
	@Select("""
			<script>SELECT user_id AS userId, conversation FROM im_user_conversations WHERE conversation LIKE 'd:%' AND user_id IN
			<foreach collection='users' item='u' open='(' separator=',' close=')'>#{u}</foreach>
			</script>""")
	List<Direct> direct(@Param("users") List<Long> users);

}
