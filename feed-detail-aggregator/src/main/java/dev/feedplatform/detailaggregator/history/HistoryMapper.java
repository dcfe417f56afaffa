package dev.feedplatform.detailaggregator.history;

import java.util.List;

import org.apache.ibatis.annotations.Delete;
import org.apache.ibatis.annotations.Insert;
import org.apache.ibatis.annotations.Mapper;
import org.apache.ibatis.annotations.Param;
import org.apache.ibatis.annotations.Select;

/**
 * {@code view_history}: one row per user and post, whose id is the latest open's. Written
 * only by {@link OpenedPages}.
 */
@Mapper
interface HistoryMapper {

	/**
	 * One open per (user, post), merged; a row keeps the newest id (a late batch can't
	 * move a post down).
	 */
	@Insert("""
			<script>
			INSERT INTO view_history (user_id, post_id, id) VALUES
			<foreach collection="opens" item="o" separator=",">(#{o.userId}, #{o.postId}, #{o.id})</foreach>
			ON DUPLICATE KEY UPDATE id = GREATEST(id, VALUES(id))
			</script>""")
	void upsert(@Param("opens") List<OpenedPages.Open> opens);

	/** The id of the user's record just past the cap (null when within it). */
	@Select("SELECT id FROM view_history WHERE user_id = #{user} ORDER BY id DESC LIMIT 1 OFFSET #{cap}")
	Long pastCap(@Param("user") long user, @Param("cap") int cap);

	@Delete("DELETE FROM view_history WHERE user_id = #{user} AND id <= #{id}")
	int deleteFrom(@Param("user") long user, @Param("id") long id);

	/** A record: its id (the open's, time-ordered) and the post. */
	record Row(long id, long postId) {
	}

	@Select("SELECT id, post_id FROM view_history WHERE user_id = #{user} AND id < #{below} ORDER BY id DESC LIMIT #{limit}")
	List<Row> page(@Param("user") long user, @Param("below") long below, @Param("limit") int limit);

}
