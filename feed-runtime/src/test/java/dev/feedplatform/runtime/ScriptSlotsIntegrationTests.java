package dev.feedplatform.runtime;

import java.util.List;
import java.util.UUID;

import dev.feedplatform.runtime.redis.ScriptSlots;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.data.redis.connection.ClusterSlotHashUtil;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Issue 21: a script whose keys hash to two slots is refused before it reaches Redis,
 * even a standalone one (which would run it; Redis Cluster would answer CROSSSLOT), and
 * the runtime's post-processor puts that check on every {@code RedisTemplate}. Keys that
 * share a hash tag pass.
 */
class ScriptSlotsIntegrationTests {

	static final RedisScript<Long> SET_BOTH = RedisScript
		.of("redis.call('SET', KEYS[1], ARGV[1]); redis.call('SET', KEYS[2], ARGV[1]); return 1", Long.class);

	private ProjectRedis redis;

	private String tag;

	@BeforeEach
	void setUp() {
		this.redis = new ProjectRedis();
		this.tag = "test:slots:" + UUID.randomUUID();
		// What the runtime does to every RedisTemplate bean.
		RuntimeAutoConfiguration.scriptSlotCheck().postProcessAfterInitialization(this.redis.template(), "redis");
	}

	@AfterEach
	void tearDown() {
		StringRedisTemplate template = this.redis.template();
		template
			.delete(List.of("{" + this.tag + "}:a", "{" + this.tag + "}:b", this.tag + ":{foo}", this.tag + ":{bar}"));
		this.redis.close();
	}

	@Test
	void keysUnderOneHashTagRun() {
		List<String> keys = List.of("{" + this.tag + "}:a", "{" + this.tag + "}:b");
		assertThat(this.redis.template().execute(SET_BOTH, keys, "1")).isEqualTo(1L);
		assertThat(this.redis.template().opsForValue().get(keys.get(1))).isEqualTo("1");
	}

	@Test
	void keysInTwoSlotsAreRefusedAndNothingIsWritten() {
		// Tags {foo} and {bar} hash to slots 12182 and 5061 (checked, so the test can't
		// pass vacuously).
		String a = this.tag + ":{foo}";
		String b = this.tag + ":{bar}";
		assertThat(ClusterSlotHashUtil.calculateSlot(a)).isNotEqualTo(ClusterSlotHashUtil.calculateSlot(b));
		assertThatIllegalStateException().isThrownBy(() -> this.redis.template().execute(SET_BOTH, List.of(a, b), "1"))
			.withMessageContaining("CROSSSLOT");
		assertThat(this.redis.template().hasKey(a)).isFalse();
		assertThatIllegalStateException().isThrownBy(() -> ScriptSlots.require("raw", a.getBytes(), b.getBytes()));
	}

}
