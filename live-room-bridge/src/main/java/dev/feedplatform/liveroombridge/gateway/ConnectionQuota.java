package dev.feedplatform.liveroombridge.gateway;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.feedplatform.common.keys.RedisKeys;
import org.redisson.api.RPermitExpirableSemaphore;
import org.redisson.api.RedissonClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * How many WebSocket connections one user may hold at once, across every node
 * ({@code feed.gateway.max-connections-per-user}; issue 14: one user opened 300). A
 * Redisson {@link RPermitExpirableSemaphore} per user
 * ({@link RedisKeys#connectionPermits}): each open connection holds one permit, leased
 * for {@link #LEASE} and renewed by its node every {@link #RENEW_EVERY}, released on
 * close; a node that dies stops renewing and its permits lapse. Asked asynchronously
 * (handshakes complete on event loops). When Redis can't answer the connection is
 * admitted: a limit must not turn a Redis outage into a chat outage.
 */
@Component
class ConnectionQuota {

	private static final Logger log = LoggerFactory.getLogger(ConnectionQuota.class);

	static final Duration LEASE = Duration.ofMinutes(3);

	static final Duration RENEW_EVERY = Duration.ofMinutes(1);

	private record Permit(long userId, String id) {
	}

	private final RedissonClient redisson;

	private final int limit;

	private final Map<String, Permit> held = new ConcurrentHashMap<>();

	/**
	 * Connections whose permit is being asked for; one closed meanwhile gives its permit
	 * back on arrival.
	 */
	private final Map<String, Boolean> pending = new ConcurrentHashMap<>();

	ConnectionQuota(RedissonClient redisson, GatewaySettings settings) {
		this.redisson = redisson;
		this.limit = settings.maxConnectionsPerUser();
	}

	/**
	 * Runs {@code admitted} or {@code refused} once the user's permits answered (on a
	 * Redisson thread).
	 */
	void admit(Connection connection, Runnable admitted, Runnable refused) {
		RPermitExpirableSemaphore permits = permits(connection.userId());
		this.pending.put(connection.id(), Boolean.FALSE);
		permits.trySetPermitsAsync(this.limit)
			.thenCompose(set -> permits.tryAcquireAsync(0, LEASE.toMillis(), TimeUnit.MILLISECONDS))
			.whenComplete((permit, failure) -> {
				boolean closedMeanwhile = Boolean.TRUE.equals(this.pending.remove(connection.id()));
				if (closedMeanwhile) {
					if (permit != null) {
						// the connection is gone: a leaked permit would lock the user out
						permits.tryReleaseAsync(permit);
					}
				}
				else if (failure != null) {
					log.warn("connection quota of user {} unavailable, admitting: {}", connection.userId(),
							failure.toString());
					admitted.run();
				}
				else if (permit == null) {
					refused.run();
				}
				else {
					this.held.put(connection.id(), new Permit(connection.userId(), permit));
					admitted.run();
				}
			});
	}

	/** Gives the connection's permit back, if it holds one. */
	void release(Connection connection) {
		this.pending.computeIfPresent(connection.id(), (id, closed) -> Boolean.TRUE);
		Permit permit = this.held.remove(connection.id());
		if (permit != null) {
			permits(permit.userId()).tryReleaseAsync(permit.id());
		}
	}

	/** The number of connections a user may hold. */
	int limit() {
		return this.limit;
	}

	@Scheduled(fixedDelayString = "60000", initialDelayString = "60000")
	void renew() {
		this.held.values()
			.forEach(permit -> permits(permit.userId()).updateLeaseTimeAsync(permit.id(), LEASE.toMillis(),
					TimeUnit.MILLISECONDS));
	}

	private RPermitExpirableSemaphore permits(long userId) {
		return this.redisson.getPermitExpirableSemaphore(RedisKeys.connectionPermits(userId));
	}

}
