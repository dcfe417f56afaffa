package dev.feedplatform.counterserver;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import dev.feedplatform.common.error.Problem;
import dev.feedplatform.runtime.ports.PostGuard;
import dev.feedplatform.runtime.ports.PostRows;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

/**
 * The counter module on its own, as its integration tests run it: real Redis, MariaDB and
 * RocketMQ, with the publish module's two ports answered by {@link PublishedPosts} (the
 * posts a test says exist), so no other module is on the class path.
 */
@SpringBootApplication
public class CounterTestApplication {

	@Bean
	PublishedPosts publishedPosts() {
		return new PublishedPosts();
	}

	/**
	 * The publish module's side as this module sees it: which posts exist and take
	 * writes. A test publishes ids here; everything else about posts is outside the
	 * counter module.
	 */
	public static class PublishedPosts implements PostRows, PostGuard {

		private final Set<Long> published = ConcurrentHashMap.newKeySet();

		public void publish(long postId) {
			this.published.add(postId);
		}

		@Override
		public void requireWritable(long postId) {
			if (!this.published.contains(postId)) {
				throw Problem.notFound("post " + postId + " not found");
			}
		}

		@Override
		public Set<Long> existing(Collection<Long> ids) {
			return ids.stream().filter(this.published::contains).collect(Collectors.toSet());
		}

		@Override
		public Map<Long, Summary> summaries(Collection<Long> ids) {
			throw new UnsupportedOperationException("not used by the counter module");
		}

		@Override
		public Optional<Content> visible(long id) {
			throw new UnsupportedOperationException("not used by the counter module");
		}

		@Override
		public List<Long> newestOf(Collection<Long> authors, long above, long below, int limit) {
			throw new UnsupportedOperationException("not used by the counter module");
		}

	}

}
