package dev.feedplatform.user.activity;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.feedplatform.common.auth.Viewer;
import dev.feedplatform.common.keys.RedisKeys;
import dev.feedplatform.runtime.auth.BearerTokenFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * Records when each user was last seen. Fan-out pushes only to fans seen within
 * {@code feed.fanout.active-days}, reading {@link RedisKeys#lastActive(long)}; MariaDB
 * keeps a copy so the index can be rebuilt if Redis loses it. Each instance writes a user
 * at most once per {@link #RESOLUTION}, off the request thread: activity is measured in
 * days, not milliseconds.
 */
@Component
public class ActivityTracker implements HandlerInterceptor, DisposableBean {

	private static final Logger log = LoggerFactory.getLogger(ActivityTracker.class);

	/**
	 * Finer than any activity window that matters, coarse enough to cost nothing per
	 * request.
	 */
	static final Duration RESOLUTION = Duration.ofMinutes(1);

	/**
	 * Bounds the memory of the per-instance throttle; entries older than RESOLUTION are
	 * useless anyway.
	 */
	private static final int MAX_REMEMBERED = 200_000;

	private final StringRedisTemplate redis;

	private final ActivityMapper db;

	private final Clock clock;

	private final ConcurrentHashMap<Long, Long> lastWritten = new ConcurrentHashMap<>();

	private final ExecutorService writer = Executors.newVirtualThreadPerTaskExecutor();

	ActivityTracker(StringRedisTemplate redis, ActivityMapper db, Clock clock) {
		this.redis = redis;
		this.db = db;
		this.clock = clock;
	}

	@Override
	public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
		if (request.getAttribute(BearerTokenFilter.VIEWER) instanceof Viewer viewer) {
			seen(viewer.userId());
		}
		return true;
	}

	/** Notes that the user is active now; cheap when called repeatedly. */
	public void seen(long userId) {
		long now = this.clock.millis();
		Long previous = this.lastWritten.get(userId);
		if (previous != null && now - previous < RESOLUTION.toMillis()) {
			return;
		}
		if (this.lastWritten.size() > MAX_REMEMBERED) {
			this.lastWritten.clear();
		}
		this.lastWritten.put(userId, now);
		if (previous == null) {
			// First sighting on this instance: write before answering, so a post planned
			// right after
			// this request already counts this user as active (a live inbox must never
			// miss a push).
			record(userId, now);
		}
		else {
			this.writer.execute(() -> record(userId, now));
		}
	}

	/**
	 * Writes synchronously; used by {@link #seen} and by tests and tools that set
	 * activity explicitly. Redis and MariaDB are written independently (the durable copy
	 * is what fan-out falls back on when Redis lost the index, so a Redis outage must not
	 * skip it), and a failed write forgets the throttle, so the user's next request
	 * records again.
	 */
	public void record(long userId, long epochMs) {
		boolean ok = true;
		try {
			this.redis.opsForZSet().add(RedisKeys.lastActive(userId), Long.toString(userId), epochMs);
		}
		catch (RuntimeException ex) {
			ok = false;
			log.warn("could not record activity of user {} in Redis: {}", userId, ex.toString());
		}
		try {
			this.db.record(userId, Instant.ofEpochMilli(epochMs));
		}
		catch (RuntimeException ex) {
			ok = false;
			log.warn("could not record activity of user {} in MariaDB: {}", userId, ex.toString());
		}
		if (!ok) {
			this.lastWritten.remove(userId, epochMs);
		}
	}

	@Override
	public void destroy() {
		this.writer.shutdown();
	}

}
