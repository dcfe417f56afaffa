package dev.feedplatform.publish.store;

import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import dev.feedplatform.runtime.ports.PostRows;
import org.springframework.stereotype.Component;

/**
 * The publish module's answer to {@link PostRows}: other modules' reads of {@code posts},
 * all inside this package.
 */
@Component
class PostRowsAdapter implements PostRows {

	private final PostMapper db;

	PostRowsAdapter(PostMapper db) {
		this.db = db;
	}

	@Override
	public Set<Long> existing(Collection<Long> ids) {
		return ids.isEmpty() ? Set.of() : new HashSet<>(this.db.existing(ids));
	}

	@Override
	public Map<Long, Summary> summaries(Collection<Long> ids) {
		Map<Long, Summary> found = new LinkedHashMap<>();
		if (!ids.isEmpty()) {
			this.db.summaryRows(ids)
				.forEach(row -> found.put(row.id(), new Summary(Posts.summary(row), row.status() == 0)));
		}
		return found;
	}

	@Override
	public Optional<Content> visible(long id) {
		return Optional.ofNullable(this.db.row(id))
			.filter(row -> row.status() == 0)
			.map(row -> new Content(row.id(), row.authorId(), row.type(), row.title(), row.body(), Posts.media(row),
					row.cover(), row.createdAt(), row.liveRoomId(), row.repostOf()));
	}

	@Override
	public List<Long> newestOf(Collection<Long> authors, long above, long below, int limit) {
		return authors.isEmpty() ? List.of() : this.db.newestOf(authors, above, below, limit);
	}

}
