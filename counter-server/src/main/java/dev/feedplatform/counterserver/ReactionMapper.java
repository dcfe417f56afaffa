package dev.feedplatform.counterserver;

import java.util.Collection;
import java.util.List;

import org.apache.ibatis.annotations.Delete;
import org.apache.ibatis.annotations.Insert;
import org.apache.ibatis.annotations.Mapper;
import org.apache.ibatis.annotations.Param;
import org.apache.ibatis.annotations.Select;

import dev.feedplatform.runtime.ports.PostRecord;

/**
 * Every statement on {@code post_reactions}, the rows behind likes and favorites (issue
 * 20: relational access through a MyBatis mapper of the table's own module, annotations
 * so each statement sits beside its method). Written only through {@link Reactions}; read
 * by it ({@code liked_by_me}), by the reconciler (row counts) and as a user's own list
 * (issue 19).
 */
@Mapper
interface ReactionMapper {

	/** A post's reaction rows of one kind (1 like, 2 favorite). */
	record KindCount(long postId, int kind, long reactionRows) {
	}

	/** 1 when added, 0 when the (post, user, kind) row was there already. */
	@Insert("INSERT IGNORE INTO post_reactions (post_id, user_id, kind, id) VALUES (#{post}, #{user}, #{kind}, #{id})")
	int insert(@Param("post") long post, @Param("user") long user, @Param("kind") int kind, @Param("id") long id);

	/** 1 when removed, 0 when there was no such row. */
	@Delete("DELETE FROM post_reactions WHERE post_id = #{post} AND user_id = #{user} AND kind = #{kind}")
	int delete(@Param("post") long post, @Param("user") long user, @Param("kind") int kind);

	@Select("""
			<script>
			SELECT post_id FROM post_reactions WHERE user_id = #{user} AND kind = #{kind} AND post_id IN
			<foreach collection="posts" item="id" open="(" separator="," close=")">#{id}</foreach>
			</script>""")
	List<Long> reactedAmong(@Param("user") long user, @Param("kind") int kind, @Param("posts") Collection<Long> posts);

	/** The user's reactions of one kind, newest first by record id (issue 19). */
	@Select("SELECT id, post_id, UNIX_TIMESTAMP(created_at) * 1000 AS at_ms FROM post_reactions"
			+ " WHERE user_id = #{user} AND kind = #{kind} AND id < #{below} ORDER BY id DESC LIMIT #{limit}")
	List<PostRecord> page(@Param("user") long user, @Param("kind") int kind, @Param("below") long below,
			@Param("limit") int limit);

	/** Posts after {@code after} that have reaction rows, in id order. */
	@Select("SELECT DISTINCT post_id FROM post_reactions WHERE post_id > #{after} ORDER BY post_id LIMIT #{limit}")
	List<Long> postsAfter(@Param("after") long after, @Param("limit") int limit);

	@Select("""
			<script>
			SELECT post_id, kind, COUNT(*) AS reaction_rows FROM post_reactions WHERE post_id IN
			<foreach collection="posts" item="id" open="(" separator="," close=")">#{id}</foreach>
			GROUP BY post_id, kind
			</script>""")
	List<KindCount> countsByKind(@Param("posts") Collection<Long> posts);

}
