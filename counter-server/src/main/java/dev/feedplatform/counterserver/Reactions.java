package dev.feedplatform.counterserver;

import java.util.Collection;
import java.util.HashSet;
import java.util.Set;

import dev.feedplatform.runtime.id.LeasedIdGenerator;
import dev.feedplatform.runtime.retry.LockConflicts;
import org.springframework.stereotype.Component;

/**
 * Who liked or favorited what: one row each, primary key (post, user, kind), so liking
 * twice is one row however many instances race, and the row change (1 or 0 rows) is
 * exactly the count's delta. Read directly for {@code liked_by_me}, so a user sees their
 * own like at once.
 */
@Component
public class Reactions {

	public enum Kind {

		LIKE(1, CounterField.LIKES), FAVORITE(2, CounterField.FAVORITES);

		final int code;

		final CounterField field;

		Kind(int code, CounterField field) {
			this.code = code;
			this.field = field;
		}

	}

	private final ReactionMapper rows;

	private final LeasedIdGenerator ids;

	/**
	 * InnoDB can deadlock a concurrent INSERT and DELETE of the same key (next-key
	 * locks), even as single statements (found by the like/unlike race test); the loser
	 * was rolled back whole.
	 */
	private final LockConflicts lockConflicts;

	Reactions(ReactionMapper rows, LeasedIdGenerator ids, LockConflicts lockConflicts) {
		this.rows = rows;
		this.ids = ids;
		this.lockConflicts = lockConflicts;
	}

	/**
	 * @return whether this call added the reaction (with a new record id: the user's list
	 * shows it first)
	 */
	boolean add(long postId, long userId, Kind kind) {
		long id = this.ids.next();
		return this.lockConflicts.retry(() -> this.rows.insert(postId, userId, kind.code, id)) == 1;
	}

	/**
	 * @return whether this call removed the reaction
	 */
	boolean remove(long postId, long userId, Kind kind) {
		return this.lockConflicts.retry(() -> this.rows.delete(postId, userId, kind.code)) == 1;
	}

	/** Which of the posts the user has reacted to with {@code kind}. */
	public Set<Long> reactedAmong(long userId, Kind kind, Collection<Long> postIds) {
		if (postIds.isEmpty()) {
			return Set.of();
		}
		return new HashSet<>(this.rows.reactedAmong(userId, kind.code, postIds));
	}

}
