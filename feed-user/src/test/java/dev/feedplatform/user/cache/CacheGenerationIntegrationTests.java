package dev.feedplatform.user.cache;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import dev.feedplatform.common.keys.RedisKeys;
import dev.feedplatform.runtime.cache.CacheGeneration;
import dev.feedplatform.user.DemoLoginTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The stale-set race, replayed step by step against real Redis: a reader misses and reads
 * the database, a writer commits and invalidates, then the reader tries to fill its old
 * copy.
 */
@DemoLoginTest
class CacheGenerationIntegrationTests {

	@Autowired
	CacheGeneration generations;

	@Autowired
	StringRedisTemplate redis;

	@Test
	void aFillThatStartedBeforeAnInvalidationCannotLand() {
		long user = ThreadLocalRandom.current().nextLong(1, 1L << 50);
		String key = RedisKeys.userProfile(user);
		// reader misses, reads the old row ...
		String seenByReader = this.generations.current(user);
		// ... a follow commits and invalidates ...
		this.generations.invalidate(user, key);
		boolean landed = this.generations.fillIfUnchanged(user, seenByReader, key, Map.of("followers", "0"),
				Duration.ofMinutes(1));
		assertThat(landed).isFalse();
		assertThat(this.redis.hasKey(key)).isFalse();

		// the next reader loads the new row and may fill
		String fresh = this.generations.current(user);
		assertThat(this.generations.fillIfUnchanged(user, fresh, key, Map.of("followers", "1"), Duration.ofMinutes(1)))
			.isTrue();
		assertThat(this.redis.opsForHash().get(key, "followers")).isEqualTo("1");
	}

}
