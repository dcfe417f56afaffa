package dev.feedplatform.liveroombridge.room;

import java.util.List;

import org.apache.ibatis.annotations.Insert;
import org.apache.ibatis.annotations.Mapper;
import org.apache.ibatis.annotations.Param;
import org.apache.ibatis.annotations.Select;
import org.apache.ibatis.annotations.Update;

/**
 * Every statement on {@code rooms} (issue 20: relational access through a MyBatis mapper
 * owned by the table's module; annotations rather than XML so each statement sits beside
 * its method). Used by {@link Rooms} in this package only.
 */
@Mapper
interface RoomMapper {

	/** The columns of a {@link Row}, in the record's order. */
	String ROW = "id, title, post_id, owner_id, status, pools, rate, sample_keep";

	/**
	 * A stored room.
	 *
	 * @param postId null for a room linked to no post
	 * @param status 0 open, 1 closed
	 * @param rate null for the node's default
	 * @param sampleKeep null for the node's default
	 */
	record Row(long id, String title, Long postId, long ownerId, int status, int pools, Integer rate,
			Double sampleKeep) {
	}

	/**
	 * Fails with a {@code DuplicateKeyException} naming {@code uk_rooms_open_post} when
	 * the post already has an open room.
	 */
	@Insert("""
			INSERT INTO rooms (id, owner_id, title, post_id, pools, rate, sample_keep)
			VALUES (#{id}, #{owner}, #{title}, #{post}, #{pools}, #{rate}, #{sampleKeep})""")
	int insert(@Param("id") long id, @Param("owner") long owner, @Param("title") String title, @Param("post") Long post,
			@Param("pools") int pools, @Param("rate") Integer rate, @Param("sampleKeep") Double sampleKeep);

	/**
	 * @return 1 when the room closed, 0 when it was closed already or does not exist
	 */
	@Update("UPDATE rooms SET status = 1, closed_at = CURRENT_TIMESTAMP(3) WHERE id = #{id} AND status = 0")
	int close(@Param("id") long id);

	/** The room, null when there is none. */
	@Select("SELECT " + ROW + " FROM rooms WHERE id = #{id}")
	Row row(@Param("id") long id);

	/** Every open room, newest first. */
	@Select("SELECT " + ROW + " FROM rooms WHERE status = 0 ORDER BY id DESC")
	List<Row> open();

}
