package dev.feedplatform.timeline.home;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.feedplatform.timeline.source.PostSummaries;
import dev.feedplatform.timeline.source.PullSource;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * Pre-fetch for readers nearing the end of their inbox: the newest ids below the inbox
 * floor across the reader's normal followees are pulled in the background (one pipelined
 * round trip over their outboxes, MariaDB for what the outboxes no longer hold) and kept
 * briefly, so the page that crosses the floor is served from memory instead of a pull on
 * the request path.
 *
 * <p>
 * Why a cached continuation answers exactly: it is the top {@link #DEPTH} ids below the
 * floor, so for any cursor at or below the floor, its ids below the cursor are the top of
 * everything below the cursor, down to its lowest id. It is used only while the floor and
 * the reader's following generation are the ones it was fetched for; anything else falls
 * back to a live pull.
 */
@Component
class Continuations implements DisposableBean {

	private static final Logger log = LoggerFactory.getLogger(Continuations.class);

	/** Ten pages of 20. */
	static final int DEPTH = 200;

	private record Continuation(long floor, String generation, List<Long> ids) {

		boolean exhaustive() {
			return this.ids.size() < DEPTH;
		}

	}

	private final PullSource pull;

	private final PostSummaries summaries;

	private final Cache<Long, Continuation> cache = Caffeine.newBuilder()
		.maximumSize(20_000)
		.expireAfterWrite(Duration.ofMinutes(2))
		.build();

	private final Cache<Long, Boolean> inFlight = Caffeine.newBuilder()
		.expireAfterWrite(Duration.ofSeconds(10))
		.build();

	private final ExecutorService background = Executors.newVirtualThreadPerTaskExecutor();

	Continuations(PullSource pull, PostSummaries summaries) {
		this.pull = pull;
		this.summaries = summaries;
	}

	/**
	 * Starts a pre-fetch unless one for this floor and generation is cached or running.
	 */
	void prefetchLater(long readerId, long floor, String generation, Set<Long> normal) {
		Continuation cached = this.cache.getIfPresent(readerId);
		if (cached != null && cached.floor == floor && cached.generation.equals(generation)) {
			return;
		}
		if (this.inFlight.asMap().putIfAbsent(readerId, Boolean.TRUE) != null) {
			return;
		}
		this.background.execute(() -> {
			try {
				List<Long> ids = this.pull.pull(normal, floor, DEPTH);
				// the first two pages, hydrated ahead
				this.summaries.visible(ids.subList(0, Math.min(ids.size(), 40)));
				this.cache.put(readerId, new Continuation(floor, generation, List.copyOf(ids)));
			}
			catch (RuntimeException ex) {
				log.debug("pre-fetch for {} failed; the read will pull: {}", readerId, ex.toString());
			}
			finally {
				this.inFlight.invalidate(readerId);
			}
		});
	}

	/**
	 * The newest {@code want} ids below {@code below} (at or below the floor), if the
	 * cached continuation answers exactly.
	 */
	Optional<List<Long>> below(long readerId, long floor, String generation, long below, int want) {
		Continuation cached = this.cache.getIfPresent(readerId);
		if (cached == null || cached.floor != floor || !cached.generation.equals(generation) || below > floor) {
			return Optional.empty();
		}
		List<Long> ids = cached.ids.stream().filter(id -> id < below).limit(want).toList();
		return ids.size() >= want || cached.exhaustive() ? Optional.of(ids) : Optional.empty();
	}

	@Override
	public void destroy() {
		this.background.shutdown();
	}

}
