package dev.feedplatform.user.activity;

import java.time.Instant;
import java.util.Collection;
import java.util.List;

import org.apache.ibatis.annotations.Mapper;
import org.apache.ibatis.annotations.Param;
import org.apache.ibatis.annotations.Select;
import org.apache.ibatis.annotations.Update;

/**
 * {@code users.last_active_at}, the durable copy of the last-active index: the only SQL
 * on that column (issue 20: relational access through MyBatis mappers owned by the
 * table's module, annotations rather than XML so each statement sits beside its method).
 * Used by {@link ActivityTracker} and {@link ActivityIndex} in this package only.
 */
@Mapper
interface ActivityMapper {

	/** When a user was last seen. */
	record LastActive(long id, Instant lastActiveAt) {
	}

	/**
	 * @return 1, or 0 for a user that does not exist
	 */
	@Update("UPDATE users SET last_active_at = #{at} WHERE id = #{user}")
	int record(@Param("user") long user, @Param("at") Instant at);

	/** The users among {@code ids} ever seen, in no particular order. */
	@Select("""
			<script>
			SELECT id, last_active_at FROM users WHERE id IN
			<foreach collection="ids" item="id" open="(" separator="," close=")">#{id}</foreach>
			AND last_active_at IS NOT NULL
			</script>""")
	List<LastActive> lastActive(@Param("ids") Collection<Long> ids);

}
