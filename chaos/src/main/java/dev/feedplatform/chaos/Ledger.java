package dev.feedplatform.chaos;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Every write the platform acknowledged during the run (and the ones whose fate is
 * unknown: sent, never answered, so they may or may not have been applied), with the
 * phase it was acknowledged in. What {@link Verifier} holds the platform to.
 */
final class Ledger {

	/**
	 * A post the platform answered 201 for: its id, author, unique search word and phase.
	 */
	record Post(String id, long author, String word, String phase) {
	}

	/** A comment answered 201: its post, text and phase. */
	record Comment(String postId, String text, String phase) {
	}

	final Map<String, Post> posts = new ConcurrentHashMap<>();

	/** post id → users whose like was acknowledged / ever attempted (maybe applied). */
	final Map<String, Set<Long>> likes = new ConcurrentHashMap<>();

	final Map<String, Set<Long>> attemptedLikes = new ConcurrentHashMap<>();

	/**
	 * post id → views acknowledged (202) / attempts that may have been applied (every
	 * attempt sent).
	 */
	final Map<String, AtomicInteger> views = new ConcurrentHashMap<>();

	final Map<String, AtomicInteger> viewAttempts = new ConcurrentHashMap<>();

	final Map<String, Comment> comments = new ConcurrentHashMap<>();

	/** user → authors they follow, acknowledged. */
	final Map<Long, Set<Long>> follows = new ConcurrentHashMap<>();

	/** chat client seq → phase, acknowledged with a {@code sent} frame. */
	final Map<Long, String> chats = new ConcurrentHashMap<>();

	static <K, V> Set<V> setOf(Map<K, Set<V>> map, K key) {
		return map.computeIfAbsent(key, k -> ConcurrentHashMap.newKeySet());
	}

	static <K> AtomicInteger counter(Map<K, AtomicInteger> map, K key) {
		return map.computeIfAbsent(key, k -> new AtomicInteger());
	}

}
