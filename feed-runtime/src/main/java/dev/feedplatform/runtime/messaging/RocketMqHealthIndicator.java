package dev.feedplatform.runtime.messaging;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.List;

import dev.feedplatform.runtime.health.Degraded;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * {@code rocketMQ} in /actuator/health, weighted by what users feel (issue 14). Sends and
 * consumption need a broker; the NameServer only hands out routes, which clients cache.
 * So: UP when the NameServer answers and a registered broker accepts connections; DOWN
 * when no broker does (a dead broker stays registered for two minutes, so registration
 * alone proves nothing); DEGRADED when the NameServer is unreachable but the brokers last
 * seen still accept connections.
 */
class RocketMqHealthIndicator extends AbstractHealthIndicator {

	private static final int CONNECT_TIMEOUT_MS = 500;

	private final RocketMq rocketMq;

	private final RocketMqSettings settings;

	private volatile List<String> lastSeenBrokers = List.of();

	RocketMqHealthIndicator(RocketMq rocketMq, RocketMqSettings settings) {
		super("RocketMQ health check failed");
		this.rocketMq = rocketMq;
		this.settings = settings;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		builder.withDetail("nameServer", this.settings.nameServer());
		List<String> brokers;
		boolean nameServerUp;
		try {
			brokers = this.rocketMq.brokerAddresses();
			nameServerUp = true;
			if (brokers.isEmpty()) {
				// A restarted NameServer learns the brokers at their next registration
				// (up to 10 s).
				brokers = this.lastSeenBrokers;
				nameServerUp = false;
				builder.withDetail("nameServerError", "knows no broker yet");
			}
			else {
				this.lastSeenBrokers = brokers;
			}
		}
		catch (Exception ex) {
			brokers = this.lastSeenBrokers;
			nameServerUp = false;
			builder.withDetail("nameServerError", ex.toString());
		}
		long reachable = brokers.stream().filter(RocketMqHealthIndicator::accepts).count();
		builder.withDetail("brokers", brokers.size()).withDetail("brokersReachable", reachable);
		if (reachable == 0) {
			builder.down();
		}
		else if (!nameServerUp) {
			builder.status(Degraded.STATUS);
		}
		else {
			builder.up();
		}
	}

	private static boolean accepts(String address) {
		int colon = address.lastIndexOf(':');
		try (Socket socket = new Socket()) {
			socket.connect(
					new InetSocketAddress(address.substring(0, colon), Integer.parseInt(address.substring(colon + 1))),
					CONNECT_TIMEOUT_MS);
			return true;
		}
		catch (IOException | RuntimeException ex) {
			return false;
		}
	}

}
