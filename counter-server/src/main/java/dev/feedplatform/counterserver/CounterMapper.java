package dev.feedplatform.counterserver;

import java.util.Collection;
import java.util.List;

import org.apache.ibatis.annotations.Delete;
import org.apache.ibatis.annotations.Insert;
import org.apache.ibatis.annotations.Mapper;
import org.apache.ibatis.annotations.Param;
import org.apache.ibatis.annotations.Select;

/**
 * Every statement on {@code post_counters} (the durable totals) and
 * {@code counter_batches} (the ids of applied delta batches), issue 20: relational access
 * through a MyBatis mapper of the table's own module. Used by the appliers, the store,
 * the reconciler and the pruner of this module only.
 */
@Mapper
interface CounterMapper {

	/** A post's totals with the row's version. */
	record Row(long postId, long likes, long favorites, long shares, long views, long comments, long version) {

		Totals.Versioned versioned() {
			return new Totals.Versioned(new Totals(this.likes, this.favorites, this.shares, this.views, this.comments),
					this.version);
		}

	}

	/** One post's merged increments, for {@link #add}. */
	record Increment(long postId, Totals by) {
	}

	/** 1 when the batch is new, 0 when it was applied before (a redelivery). */
	@Insert("INSERT IGNORE INTO counter_batches (batch_id) VALUES (#{id})")
	int rememberBatch(@Param("id") String batchId);

	/**
	 * Adds increments to the totals and bumps each row's version, in one multi-row
	 * statement; the rows are locked in the order given (callers sort by post id, so
	 * concurrent appliers can't deadlock).
	 */
	@Insert("""
			<script>
			INSERT INTO post_counters (post_id, likes, favorites, shares, views, comments, version) VALUES
			<foreach collection="increments" item="i" separator=",">
			(#{i.postId}, #{i.by.likes}, #{i.by.favorites}, #{i.by.shares}, #{i.by.views}, #{i.by.comments}, 1)
			</foreach>
			ON DUPLICATE KEY UPDATE likes = likes + VALUES(likes), favorites = favorites + VALUES(favorites),
			shares = shares + VALUES(shares), views = views + VALUES(views), comments = comments + VALUES(comments),
			version = version + 1
			</script>""")
	int add(@Param("increments") List<Increment> increments);

	@Select("""
			<script>
			SELECT post_id, likes, favorites, shares, views, comments, version FROM post_counters WHERE post_id IN
			<foreach collection="posts" item="id" open="(" separator="," close=")">#{id}</foreach>
			</script>""")
	List<Row> rows(@Param("posts") Collection<Long> posts);

	/** Posts after {@code after} that have a counter row, in id order. */
	@Select("SELECT post_id FROM post_counters WHERE post_id > #{after} ORDER BY post_id LIMIT #{limit}")
	List<Long> postsAfter(@Param("after") long after, @Param("limit") int limit);

	/**
	 * Deletes up to {@code limit} batch ids applied before {@code seconds} ago by the
	 * database's clock, oldest first.
	 */
	@Delete("DELETE FROM counter_batches WHERE applied_at < NOW(3) - INTERVAL #{seconds} SECOND ORDER BY applied_at LIMIT #{limit}")
	int pruneBatches(@Param("seconds") long seconds, @Param("limit") int limit);

}
