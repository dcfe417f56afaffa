package dev.feedplatform.detailaggregator.comment;

import java.time.Instant;
import java.util.List;

import org.apache.ibatis.annotations.Insert;
import org.apache.ibatis.annotations.Mapper;
import org.apache.ibatis.annotations.Param;
import org.apache.ibatis.annotations.Select;

/**
 * Every statement on {@code comments} (issue 20: relational access through a MyBatis
 * mapper owned by the table's module; annotations rather than XML so each statement sits
 * beside its method). Used by {@link Comments} in this package only.
 */
@Mapper
interface CommentMapper {

	/** The columns of a {@link Row}, in the record's order. */
	String ROW = "id, post_id, author_id, body, created_at";

	/** A stored comment. */
	record Row(long id, long postId, long authorId, String body, Instant createdAt) {
	}

	/**
	 * Fails with a {@code DuplicateKeyException} when the author already used the
	 * idempotency key ({@code uk_comments_idem}); a null key never collides.
	 */
	@Insert("""
			INSERT INTO comments (id, post_id, author_id, body, idem_key)
			VALUES (#{id}, #{post}, #{author}, #{body}, #{key})""")
	int insert(@Param("id") long id, @Param("post") long post, @Param("author") long author, @Param("body") String body,
			@Param("key") String idempotencyKey);

	/** The comment, null when there is none. */
	@Select("SELECT " + ROW + " FROM comments WHERE id = #{id}")
	Row row(@Param("id") long id);

	/** The author's comment stored with this idempotency key, null when there is none. */
	@Select("SELECT " + ROW + " FROM comments WHERE author_id = #{author} AND idem_key = #{key}")
	Row byIdempotencyKey(@Param("author") long author, @Param("key") String idempotencyKey);

	/** The post's comments below an id, newest first. */
	@Select("SELECT " + ROW
			+ " FROM comments WHERE post_id = #{post} AND id < #{below} ORDER BY id DESC LIMIT #{limit}")
	List<Row> below(@Param("post") long post, @Param("below") long below, @Param("limit") int limit);

}
