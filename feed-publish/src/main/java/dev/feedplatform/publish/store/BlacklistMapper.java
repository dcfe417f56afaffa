package dev.feedplatform.publish.store;

import java.util.List;

import org.apache.ibatis.annotations.Delete;
import org.apache.ibatis.annotations.Insert;
import org.apache.ibatis.annotations.Mapper;
import org.apache.ibatis.annotations.Param;
import org.apache.ibatis.annotations.Select;

/**
 * Every statement on {@code post_blacklist}, the durable list behind
 * {@link PostBlacklist} (issue 20: a MyBatis mapper of the table's own module).
 */
@Mapper
interface BlacklistMapper {

	record Entry(long postId, String reason) {
	}

	/** A moderator's reason stays when a retraction blacklists the same post. */
	@Insert("""
			INSERT INTO post_blacklist (post_id, reason) VALUES (#{post}, #{reason})
			ON DUPLICATE KEY UPDATE reason = IF(reason = 'moderated', reason, VALUES(reason))""")
	int add(@Param("post") long postId, @Param("reason") String reason);

	@Delete("DELETE FROM post_blacklist WHERE post_id = #{post} AND reason = #{reason}")
	int remove(@Param("post") long postId, @Param("reason") String reason);

	@Select("SELECT post_id, reason FROM post_blacklist")
	List<Entry> all();

}
