package dev.feedplatform.searchsync.sync;

import java.time.Duration;

import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import co.elastic.clients.transport.rest5_client.low_level.Request;
import co.elastic.clients.transport.rest5_client.low_level.Response;
import co.elastic.clients.transport.rest5_client.low_level.Rest5Client;
import dev.feedplatform.runtime.health.Degraded;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * {@code search} in /actuator/health (issue 14): the search node and the binlog sync as a
 * user of search feels them. Search is not needed to post, read a timeline or chat, so a
 * failing search is DEGRADED (the instance keeps serving, HTTP 200), never DOWN: when the
 * node doesn't answer or is red, or when the newest heartbeat a search can see is older
 * than {@link #MAX_LAG}.
 */
public class SearchHealthIndicator extends AbstractHealthIndicator {

	/**
	 * Beyond this, a post written now would not be searchable for a while: users notice.
	 */
	static final Duration MAX_LAG = Duration.ofSeconds(60);

	private static final Pattern STATUS = Pattern.compile("\"status\"\\s*:\\s*\"(\\w+)\"");

	/**
	 * The low-level client: the typed cluster-health response of a 9.x client doesn't
	 * parse a 7.10 node's answer.
	 */
	private final Rest5Client client;

	private final LagProbe lag;

	public SearchHealthIndicator(Rest5Client client, LagProbe lag) {
		super("search health check failed");
		this.client = client;
		this.lag = lag;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		double age = this.lag.ageSeconds();
		builder.withDetail("syncLagSeconds", Double.isNaN(age) ? "unknown" : age);
		String node;
		try {
			Response response = this.client.performRequest(new Request("GET", "/_cluster/health?timeout=1s"));
			String body = new String(response.getEntity().getContent().readAllBytes(), StandardCharsets.UTF_8);
			Matcher status = STATUS.matcher(body);
			node = status.find() ? status.group(1) : "unknown";
			builder.withDetail("node", node);
		}
		catch (Exception ex) {
			builder.status(Degraded.STATUS).withDetail("node", "unreachable").withDetail("error", ex.toString());
			return;
		}
		if (!node.equals("green") && !node.equals("yellow") || (!Double.isNaN(age) && age > MAX_LAG.toSeconds())) {
			builder.status(Degraded.STATUS);
		}
		else {
			builder.up();
		}
	}

}
