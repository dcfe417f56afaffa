package dev.feedplatform.publish.store;

import java.time.Instant;
import java.util.Collection;
import java.util.List;

import org.apache.ibatis.annotations.Delete;
import org.apache.ibatis.annotations.Insert;
import org.apache.ibatis.annotations.Mapper;
import org.apache.ibatis.annotations.Param;
import org.apache.ibatis.annotations.Select;
import org.apache.ibatis.annotations.Update;

/**
 * Every statement on {@code posts} (issue 20: relational access through a MyBatis mapper
 * owned by the table's module; annotations rather than XML so each statement sits beside
 * its method). Used by this package only: {@link Posts} for the module itself, the port
 * adapters for the others.
 */
@Mapper
interface PostMapper {

	/** The columns of a whole {@link Row}, in the record's order. */
	String ROW = "id, author_id, type, title, body, media, cover, created_at, live_room_id, repost_of, status";

	/**
	 * A {@link Row} without the body and media (up to 10,000 characters and 20 URLs):
	 * what timeline hydration, ownership and state checks read.
	 */
	String SUMMARY = "id, author_id, type, title, NULL AS body, NULL AS media, cover, created_at, live_room_id, repost_of, status";

	/**
	 * A stored post.
	 *
	 * @param media the URLs joined by {@code \n}, empty for a repost
	 * @param status 0 visible, 1 retracted
	 */
	record Row(long id, long authorId, String type, String title, String body, String media, String cover,
			Instant createdAt, Long liveRoomId, Long repostOf, int status) {
	}

	@Insert("""
			INSERT INTO posts (id, author_id, type, title, body, media, cover, created_at, idem_key)
			VALUES (#{id}, #{author}, #{post.type}, #{post.title}, #{post.text}, #{media}, #{post.cover}, #{createdAt}, #{key})""")
	int insert(@Param("id") long id, @Param("author") long author, @Param("post") NewPost post,
			@Param("media") String media, @Param("createdAt") Instant createdAt, @Param("key") String idempotencyKey);

	@Insert("""
			INSERT INTO posts (id, author_id, type, title, media, created_at, idem_key, repost_of)
			VALUES (#{id}, #{author}, #{type}, #{text}, '', #{createdAt}, #{key}, #{original})""")
	int insertRepost(@Param("id") long id, @Param("author") long author, @Param("type") String type,
			@Param("text") String text, @Param("createdAt") Instant createdAt, @Param("key") String idempotencyKey,
			@Param("original") long originalId);

	@Delete("DELETE FROM posts WHERE id = #{id} AND fanout_state = 0")
	int deleteUnannounced(@Param("id") long id);

	@Select("SELECT " + ROW + " FROM posts WHERE id = #{id}")
	Row row(@Param("id") long id);

	/** 0 visible, 1 retracted; null when there is no such post. */
	@Select("SELECT status FROM posts WHERE id = #{id}")
	Integer status(@Param("id") long id);

	/** The row without body and media. */
	@Select("SELECT " + SUMMARY + " FROM posts WHERE id = #{id}")
	Row summaryRow(@Param("id") long id);

	@Select("SELECT " + ROW + " FROM posts WHERE author_id = #{author} AND idem_key = #{key}")
	Row byIdempotencyKey(@Param("author") long author, @Param("key") String idempotencyKey);

	@Select("<script>SELECT " + SUMMARY + " FROM posts WHERE id IN"
			+ "<foreach collection=\"ids\" item=\"id\" open=\"(\" separator=\",\" close=\")\">#{id}</foreach></script>")
	List<Row> summaryRows(@Param("ids") Collection<Long> ids);

	@Select("""
			<script>
			SELECT id FROM posts WHERE id IN
			<foreach collection="ids" item="id" open="(" separator="," close=")">#{id}</foreach>
			</script>""")
	List<Long> existing(@Param("ids") Collection<Long> ids);

	@Update("UPDATE posts SET fanout_state = 1 WHERE id = #{id}")
	int fanOutEnqueued(@Param("id") long id);

	@Update("UPDATE posts SET status = 1 WHERE id = #{id} AND status = 0")
	int retract(@Param("id") long id);

	/** The newest visible post ids of an author. */
	@Select("SELECT id FROM posts WHERE author_id = #{author} AND status = 0 ORDER BY id DESC LIMIT #{limit}")
	List<Long> newestIds(@Param("author") long author, @Param("limit") int limit);

	/** Visible post ids of the authors in (above, below), newest first. */
	@Select("""
			<script>
			SELECT id FROM posts WHERE author_id IN
			<foreach collection="authors" item="a" open="(" separator="," close=")">#{a}</foreach>
			AND id &gt; #{above} AND id &lt; #{below} AND status = 0 ORDER BY id DESC LIMIT #{limit}
			</script>""")
	List<Long> newestOf(@Param("authors") Collection<Long> authors, @Param("above") long above,
			@Param("below") long below, @Param("limit") int limit);

	@Select("SELECT id, author_id FROM posts WHERE fanout_state = 0 AND id < #{before} ORDER BY id LIMIT #{limit}")
	List<Posts.Unannounced> unannounced(@Param("before") long before, @Param("limit") int limit);

	@Update("UPDATE posts SET live_room_id = #{room} WHERE id = #{id}")
	int linkLiveRoom(@Param("id") long id, @Param("room") long room);

	@Update("UPDATE posts SET live_room_id = NULL WHERE id = #{id} AND live_room_id = #{room}")
	int unlinkLiveRoom(@Param("id") long id, @Param("room") long room);

}
