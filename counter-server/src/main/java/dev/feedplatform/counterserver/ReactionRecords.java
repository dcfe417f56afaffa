package dev.feedplatform.counterserver;

import java.util.List;

import org.apache.ibatis.annotations.Mapper;
import org.apache.ibatis.annotations.Param;
import org.apache.ibatis.annotations.Select;

import dev.feedplatform.runtime.ports.PostRecord;

/**
 * {@code post_reactions} read as a user's own list (issue 19: my likes, my favorites),
 * newest first by record id through {@code idx_reactions_user_record}. Written only by
 * {@link Reactions}.
 */
@Mapper
interface ReactionRecords {

	@Select("SELECT id, post_id, UNIX_TIMESTAMP(created_at) * 1000 AS at_ms FROM post_reactions"
			+ " WHERE user_id = #{user} AND kind = #{kind} AND id < #{below} ORDER BY id DESC LIMIT #{limit}")
	List<PostRecord> page(@Param("user") long user, @Param("kind") int kind, @Param("below") long below,
			@Param("limit") int limit);

}
