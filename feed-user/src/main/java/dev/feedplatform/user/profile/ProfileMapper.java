package dev.feedplatform.user.profile;

import java.util.Collection;
import java.util.List;

import org.apache.ibatis.annotations.Mapper;
import org.apache.ibatis.annotations.Param;
import org.apache.ibatis.annotations.Select;

/**
 * Profile reads of {@code users}: the only SQL that loads a {@link ProfileRow} (issue 20:
 * relational access through MyBatis mappers owned by the table's module, annotations
 * rather than XML so each statement sits beside its method). The counts and the
 * big-account flag it reads are written by the follow package's mapper only. Used by
 * {@link Profiles} in this package only.
 */
@Mapper
interface ProfileMapper {

	/**
	 * The columns of a {@link ProfileRow}, named as its components (rows map onto a
	 * record by parameter name).
	 */
	String ROW = "id, nickname, followers_count AS followers, following_count AS following, big_account";

	/** The user's row, null when there is no such user. */
	@Select("SELECT " + ROW + " FROM users WHERE id = #{id}")
	ProfileRow row(@Param("id") long id);

	/** The rows of the users that exist, in no particular order. */
	@Select("<script>SELECT " + ROW + " FROM users WHERE id IN"
			+ "<foreach collection=\"ids\" item=\"id\" open=\"(\" separator=\",\" close=\")\">#{id}</foreach></script>")
	List<ProfileRow> rows(@Param("ids") Collection<Long> ids);

}
