package dev.feedplatform.searchsync;

import java.util.Collection;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import dev.feedplatform.runtime.ports.Blacklist;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

/**
 * The search module on its own, as its integration tests run it: the binlog sync (Canal)
 * and the queries against the real MariaDB and search node, with the publish module's
 * {@link Blacklist} port answered by {@link TestBlacklist}, so no other module is on the
 * class path.
 */
@SpringBootApplication
public class SearchTestApplication {

	@Bean
	TestBlacklist testBlacklist() {
		return new TestBlacklist();
	}

	/** The blacklist as the query side sees it: ids a test says are blocked. */
	public static class TestBlacklist implements Blacklist {

		private final Set<Long> blocked = ConcurrentHashMap.newKeySet();

		@Override
		public Set<Long> blocked(Collection<Long> postIds) {
			return postIds.stream().filter(this.blocked::contains).collect(Collectors.toSet());
		}

		@Override
		public void add(long postId, String reason) {
			this.blocked.add(postId);
		}

		@Override
		public void remove(long postId, String reason) {
			this.blocked.remove(postId);
		}

	}

}
