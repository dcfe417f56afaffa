package dev.feedplatform.user.follow;

import java.util.Collection;
import java.util.List;

import org.apache.ibatis.annotations.Delete;
import org.apache.ibatis.annotations.Insert;
import org.apache.ibatis.annotations.Mapper;
import org.apache.ibatis.annotations.Param;
import org.apache.ibatis.annotations.Select;
import org.apache.ibatis.annotations.Update;

/**
 * The follow graph's SQL: {@code follows} and the counts and big-account flag it moves on
 * {@code users} (issue 20: relational access through MyBatis mappers owned by the table's
 * module, annotations rather than XML so each statement sits beside its method and its
 * Javadoc). Used by {@link Follows}, {@link FollowingSet} and {@link BigAccounts} in this
 * package only.
 */
@Mapper
interface FollowMapper {

	@Select("SELECT following_count FROM users WHERE id = #{user}")
	Long followingCount(@Param("user") long user);

	/**
	 * @return 1 when the edge was added, 0 when it existed
	 */
	@Insert("INSERT IGNORE INTO follows (follower_id, followee_id) VALUES (#{follower}, #{followee})")
	int insert(@Param("follower") long follower, @Param("followee") long followee);

	/**
	 * @return 1 when the edge was removed, 0 when there was none
	 */
	@Delete("DELETE FROM follows WHERE follower_id = #{follower} AND followee_id = #{followee}")
	int delete(@Param("follower") long follower, @Param("followee") long followee);

	@Update("UPDATE users SET following_count = following_count + #{delta} WHERE id = #{user}")
	int moveFollowing(@Param("user") long user, @Param("delta") int delta);

	/**
	 * MariaDB assigns left to right, so {@code big_account} sees the new count. Never
	 * reset: promotion is sticky.
	 */
	@Update("UPDATE users SET followers_count = followers_count + #{delta}, big_account = GREATEST(big_account, followers_count >= #{threshold}) WHERE id = #{user}")
	int moveFollowers(@Param("user") long user, @Param("delta") int delta, @Param("threshold") long threshold);

	@Select("SELECT COUNT(*) FROM users WHERE id = #{user}")
	long users(@Param("user") long user);

	@Select("SELECT COUNT(*) FROM follows WHERE follower_id = #{follower} AND followee_id = #{followee}")
	long edges(@Param("follower") long follower, @Param("followee") long followee);

	/**
	 * Which of {@code candidates} the follower follows: one indexed query for a whole
	 * page.
	 */
	@Select("""
			<script>
			SELECT followee_id FROM follows WHERE follower_id = #{follower} AND followee_id IN
			<foreach collection="candidates" item="id" open="(" separator="," close=")">#{id}</foreach>
			</script>""")
	List<Long> followedAmong(@Param("follower") long follower, @Param("candidates") Collection<Long> candidates);

	/**
	 * Follower ids below a cursor, highest first: one range scan of the followee index.
	 */
	@Select("SELECT follower_id FROM follows WHERE followee_id = #{followee} AND follower_id < #{below} ORDER BY follower_id DESC LIMIT #{limit}")
	List<Long> followersBelow(@Param("followee") long followee, @Param("below") long below, @Param("limit") int limit);

	/** Follower ids above a cursor, ascending: one range scan of the followee index. */
	@Select("SELECT follower_id FROM follows WHERE followee_id = #{followee} AND follower_id > #{after} ORDER BY follower_id LIMIT #{limit}")
	List<Long> followersAfter(@Param("followee") long followee, @Param("after") long after, @Param("limit") int limit);

	/** Followee ids below a cursor, highest first: one range scan of the primary key. */
	@Select("SELECT followee_id FROM follows WHERE follower_id = #{follower} AND followee_id < #{below} ORDER BY followee_id DESC LIMIT #{limit}")
	List<Long> followingBelow(@Param("follower") long follower, @Param("below") long below, @Param("limit") int limit);

	/** A followee and when it was followed (epoch ms). */
	record Edge(long followeeId, long followedAtMs) {
	}

	/** Every followee of the user with the time followed. */
	@Select("SELECT followee_id, CAST(UNIX_TIMESTAMP(created_at) * 1000 AS SIGNED) AS followed_at_ms FROM follows WHERE follower_id = #{follower}")
	List<Edge> following(@Param("follower") long follower);

	@Select("SELECT big_account FROM users WHERE id = #{user}")
	Boolean bigAccount(@Param("user") long user);

	@Select("""
			<script>
			SELECT id FROM users WHERE big_account = 1 AND id IN
			<foreach collection="accounts" item="id" open="(" separator="," close=")">#{id}</foreach>
			</script>""")
	List<Long> bigAmong(@Param("accounts") Collection<Long> accounts);

	@Select("SELECT id FROM users WHERE big_account = 1")
	List<Long> allBig();

}
