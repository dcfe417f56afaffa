package dev.feedplatform.detailaggregator.page;

import java.time.Duration;

import dev.feedplatform.runtime.cache.LeaseCache;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Detail page settings ({@code feed.detail.*}).
 *
 * @param cacheTtl how long a post's core stays in Redis (±{@code jitter})
 * @param missingTtl how long a missing id is remembered as missing
 * @param leaseTtl how long a loader's lease blocks other loaders if it dies
 * @param staleTtl how long the copy served while the database is down lives
 * @param localTtl the in-process tier for hot posts (also dropped by invalidation
 * broadcasts)
 * @param maxWait how long a reader without the lease waits for the holder's value
 * @param jitter relative TTL jitter, so keys filled together don't expire together
 * @param criticalTimeout deadline of the parts without which there is no page (post,
 * author)
 * @param optionalTimeout deadline of the parts the page degrades without (counts,
 * relation, comments)
 * @param leases false = plain cache-aside; only for the benchmark's baseline
 */
@ConfigurationProperties("feed.detail")
public record DetailSettings(@DefaultValue("10m") Duration cacheTtl, @DefaultValue("30s") Duration missingTtl,
		@DefaultValue("2s") Duration leaseTtl, @DefaultValue("1d") Duration staleTtl,
		@DefaultValue("1s") Duration localTtl, @DefaultValue("1s") Duration maxWait, @DefaultValue("0.2") double jitter,
		@DefaultValue("1s") Duration criticalTimeout, @DefaultValue("300ms") Duration optionalTimeout,
		@DefaultValue("true") boolean leases) {

	LeaseCache.Settings cache() {
		return new LeaseCache.Settings(this.cacheTtl, this.missingTtl, this.leaseTtl, this.staleTtl, this.localTtl,
				this.maxWait, this.jitter);
	}

}
