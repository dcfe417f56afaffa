package dev.feedplatform.runtime.web;

import java.net.ConnectException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.concurrent.TimeoutException;

import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessException;

/**
 * Tells an outage of a store or the broker from a defect: the failures a retry after the
 * process is back may well get past. Recognised by type anywhere in the cause chain; the
 * client libraries' own types by name, so this class needs none of them on its class
 * path.
 */
public final class Outages {

	private static final String[] OUTAGE_TYPES = { "io.lettuce.core.RedisConnectionException",
			"io.lettuce.core.RedisCommandTimeoutException", "io.lettuce.core.RedisLoadingException",
			"io.lettuce.core.RedisBusyException", "org.springframework.data.redis.RedisConnectionFailureException",
			"org.redisson.client.RedisConnectionException", "org.redisson.client.RedisTimeoutException",
			"org.redisson.client.RedisLoadingException", "org.apache.rocketmq.client.exception.MQClientException",
			"org.apache.rocketmq.remoting.exception.RemotingException",
			"org.apache.rocketmq.client.exception.MQBrokerException",
			"org.springframework.jdbc.CannotGetJdbcConnectionException",
			"org.redisson.client.RedisClusterDownException", "org.redisson.client.RedisTryAgainException" };

	/**
	 * Redis Cluster error replies that mean "not now" (issue 21): a failed master's slots
	 * uncovered until its replica is promoted, a resharding in progress, a replica
	 * without its master. Lettuce reports them as a plain command error.
	 */
	private static final String[] OUTAGE_REPLIES = { "CLUSTERDOWN", "TRYAGAIN", "MASTERDOWN", "LOADING" };

	private Outages() {
	}

	/**
	 * A short description of the outage behind {@code failure}, or null when it is not
	 * one.
	 */
	public static String describe(Throwable failure) {
		int depth = 0;
		for (Throwable t = failure; t != null && depth < 16; t = t.getCause(), depth++) {
			if (t instanceof DataAccessResourceFailureException || t instanceof RecoverableDataAccessException
					|| t instanceof TransientDataAccessException || t instanceof ConnectException
					|| t instanceof SocketTimeoutException || t instanceof SocketException
					|| t instanceof TimeoutException || t instanceof SQLTransientException
					|| t instanceof SQLRecoverableException || t instanceof SQLNonTransientConnectionException
					|| isOutageType(t.getClass()) || isOutageReply(t.getMessage())) {
				return t.getClass().getSimpleName() + ": " + t.getMessage();
			}
		}
		return null;
	}

	private static boolean isOutageReply(String message) {
		if (message == null) {
			return false;
		}
		for (String reply : OUTAGE_REPLIES) {
			if (message.startsWith(reply) || message.contains(": " + reply)) {
				return true;
			}
		}
		return false;
	}

	private static boolean isOutageType(Class<?> type) {
		for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
			for (String name : OUTAGE_TYPES) {
				if (name.equals(c.getName())) {
					return true;
				}
			}
		}
		return false;
	}

}
