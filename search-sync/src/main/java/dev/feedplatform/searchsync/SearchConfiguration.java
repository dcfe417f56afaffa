package dev.feedplatform.searchsync;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.transport.rest5_client.low_level.Rest5Client;
import io.micrometer.core.instrument.MeterRegistry;

import dev.feedplatform.common.keys.RedisKeys;
import dev.feedplatform.runtime.ports.Blacklist;
import dev.feedplatform.runtime.lock.Leadership;
import org.redisson.api.RedissonClient;
import dev.feedplatform.searchsync.node.PostIndex;
import dev.feedplatform.searchsync.node.SearchNodeClient;
import dev.feedplatform.searchsync.query.PostSearch;
import dev.feedplatform.searchsync.sync.BinlogSync;
import dev.feedplatform.searchsync.sync.IndexMaintenance;
import dev.feedplatform.searchsync.sync.LagProbe;
import dev.feedplatform.searchsync.sync.SearchHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import dev.feedplatform.searchsync.sync.PostSource;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The search node client, the search API and, where enabled, this instance's bid for the
 * binlog sync.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(SearchSettings.class)
class SearchConfiguration {

	@Bean(destroyMethod = "close")
	Rest5Client searchNodeLowLevelClient(SearchSettings settings) {
		return SearchNodeClient.lowLevel(settings);
	}

	@Bean
	ElasticsearchClient searchNodeClient(Rest5Client lowLevel) {
		return SearchNodeClient.client(lowLevel);
	}

	@Bean
	HealthIndicator searchHealthIndicator(Rest5Client lowLevel, LagProbe lag) {
		return new SearchHealthIndicator(lowLevel, lag);
	}

	@Bean
	PostIndex postIndex(ElasticsearchClient client, SearchSettings settings) {
		return new PostIndex(client, settings);
	}

	@Bean
	PostSource postSource(JdbcClient db) {
		return new PostSource(db);
	}

	@Bean
	PostSearch postSearch(ElasticsearchClient client, SearchSettings settings, Blacklist blacklist) {
		return new PostSearch(client, settings, blacklist);
	}

	@Bean
	LagProbe searchLagProbe(ElasticsearchClient client, SearchSettings settings, MeterRegistry meters) {
		return new LagProbe(client, settings, meters);
	}

	@Bean
	IndexMaintenance searchIndexMaintenance(SearchSettings settings, PostSource source, PostIndex index,
			StringRedisTemplate redis, MeterRegistry meters) {
		return new IndexMaintenance(settings, source, index, redis, meters);
	}

	@Bean
	@ConditionalOnProperty(name = "feed.search.enabled", havingValue = "true", matchIfMissing = true)
	BinlogSync binlogSync(SearchSettings settings, RedissonClient redisson, PostSource source, PostIndex index,
			IndexMaintenance maintenance, MeterRegistry meters) {
		Leadership lease = new Leadership(redisson, RedisKeys.searchSyncLease(settings.destination()));
		return new BinlogSync(settings, lease, source, index, maintenance, meters);
	}

}
