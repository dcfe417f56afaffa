package dev.feedplatform.timeline.source;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.feedplatform.runtime.ports.SocialGraph;
import org.springframework.stereotype.Component;

/**
 * Reads the follow graph the user module owns, through its {@link SocialGraph} port: the
 * following set (an unfollow is seen by the very next read on any instance) and the
 * big-account set, with a local copy per reader checked against the graph's version
 * stamps.
 */
@Component
public class FollowingReader {

	private final SocialGraph graph;

	/**
	 * Bounded and short-lived: a generation counter lives a day after its last bump, so
	 * no entry can outlive its counter and be mistaken for current after the counter
	 * restarts.
	 */
	private final Cache<Long, Followed> local = Caffeine.newBuilder()
		.maximumSize(50_000)
		.expireAfterWrite(Duration.ofMinutes(10))
		.build();

	FollowingReader(SocialGraph graph) {
		this.graph = graph;
	}

	public Set<Long> following(long userId) {
		return this.graph.following(userId);
	}

	/**
	 * Whom the reader follows, split into normal and big accounts, from a local copy that
	 * is checked on every call against two counters in one pipelined round trip: the
	 * reader's cache generation (bumped synchronously by every follow/unfollow, on any
	 * instance, before it answers) and the big-account version. Either moved: reload. So
	 * an unfollow still shows on the very next read, while a reader following 2,000
	 * accounts doesn't re-read 2,000 ids twice per page.
	 */
	public Followed followed(long readerId) {
		SocialGraph.Versions versions = this.graph.versions(readerId);
		String generation = versions.generation();
		String bigVersion = versions.bigVersion();
		Followed cached = this.local.getIfPresent(readerId);
		if (cached != null && cached.generation.equals(generation) && cached.bigVersion.equals(bigVersion)) {
			return cached;
		}
		// Read after the counters: what is loaded is at least as new as the versions it
		// is stored under.
		Set<Long> all = following(readerId);
		Set<Long> big = bigAmong(all);
		Set<Long> normal = new HashSet<>(all);
		normal.removeAll(big);
		Followed loaded = new Followed(generation, bigVersion, Set.copyOf(all), Set.copyOf(normal), Set.copyOf(big));
		this.local.put(readerId, loaded);
		return loaded;
	}

	/** A reader's followed accounts as of the two version counters. */
	public record Followed(String generation, String bigVersion, Set<Long> all, Set<Long> normal, Set<Long> big) {
	}

	/** Which of the accounts are big (pulled at read time). */
	public Set<Long> bigAmong(Set<Long> accounts) {
		return this.graph.bigAmong(accounts);
	}

}
