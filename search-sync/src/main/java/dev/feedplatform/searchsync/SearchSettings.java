package dev.feedplatform.searchsync;

import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Search settings ({@code feed.search.*}).
 *
 * @param enabled whether this instance takes part in the binlog sync (searching works
 * either way)
 * @param nodes the search node URLs
 * @param compatibility talk to an Elasticsearch 7 node with the 8/9 client: send plain
 * {@code application/json} and accept responses without the {@code X-Elastic-Product}
 * header. On for the local node; off for real Elasticsearch 8/9 clusters
 * @param index the read alias searches use; concrete indices are {@code <index>-<millis>}
 * @param canalHost the Canal server host
 * @param canalPort the Canal server port
 * @param destination the Canal destination (one per MariaDB primary)
 * @param batchSize binlog entries fetched per round trip
 * @param heartbeat how often the leader writes the lag heartbeat (a MariaDB commit, a
 * binlog event and a Canal round each: every 500 ms kept an idle platform busy and its
 * logs growing; issue 22)
 * @param reconcileInterval how often the leader compares the whole index with MariaDB
 * @param shards primary shards of a new index
 * @param replicas copies of each shard on other nodes (0 on one node; 1 on the 3-node
 * cluster of {@code bin/platform --cluster}, so a node can die without losing a shard)
 * @param refresh the index refresh interval: the floor of the sync's lag
 */
@ConfigurationProperties("feed.search")
public record SearchSettings(@DefaultValue("true") boolean enabled,
		@DefaultValue("http://127.0.0.1:19200") List<String> nodes, @DefaultValue("true") boolean compatibility,
		@DefaultValue("feed-posts") String index, @DefaultValue("127.0.0.1") String canalHost,
		@DefaultValue("21111") int canalPort, @DefaultValue("feed") String destination,
		@DefaultValue("2000") int batchSize, @DefaultValue("2s") Duration heartbeat,
		@DefaultValue("10m") Duration reconcileInterval, @DefaultValue("1") int shards, @DefaultValue("0") int replicas,
		@DefaultValue("500ms") Duration refresh) {

	/** Alias of the index a rebuild is filling, which the sync writes to as well. */
	public String buildingAlias() {
		return this.index + "-building";
	}

	/** The single-document index the lag heartbeat lands in. */
	public String lagIndex() {
		return this.index + "-lag";
	}

}
