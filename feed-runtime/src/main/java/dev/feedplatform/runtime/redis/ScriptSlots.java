package dev.feedplatform.runtime.redis;

import java.util.List;

import org.springframework.data.redis.connection.ClusterSlotHashUtil;
import org.springframework.data.redis.core.RedisTemplate;
import org.springframework.data.redis.core.script.DefaultScriptExecutor;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.data.redis.core.script.ScriptExecutor;
import org.springframework.data.redis.serializer.RedisSerializer;

/**
 * Every Lua script's keys in one hash slot (issue 21). Redis Cluster runs a script only
 * when all its keys hash to one slot (else {@code CROSSSLOT}); a standalone Redis runs it
 * anyway, so a key layout that breaks the cluster would pass every test here. This check
 * refuses such a call on any Redis: {@link #executor} wraps every {@code RedisTemplate}'s
 * script executor (registered by the runtime for each template bean), and the two
 * pipelined raw {@code EVAL}/{@code EVALSHA} loops of the home inbox call
 * {@link #require} themselves (the counters' raw {@code EVALSHA} has one key). A refusal
 * is a programming error (an {@link IllegalStateException}): the keys a script gets must
 * share a hash tag ({@code RedisKeys}).
 */
public final class ScriptSlots {

	private ScriptSlots() {
	}

	/**
	 * @throws IllegalStateException when the keys hash to more than one slot
	 */
	public static void require(String script, byte[]... keys) {
		int slot = -1;
		for (byte[] key : keys) {
			int next = ClusterSlotHashUtil.calculateSlot(key);
			if (slot >= 0 && next != slot) {
				throw new IllegalStateException("a script's keys must share one hash slot (Redis Cluster refuses "
						+ "CROSSSLOT): " + script + " got keys in slots " + slot + " and " + next);
			}
			slot = next;
		}
	}

	/** Gives {@code template} the checking script executor. */
	public static <K, V> void install(RedisTemplate<K, V> template) {
		template.setScriptExecutor(executor(template));
	}

	/** {@code template}'s script executor, checking each call's keys first. */
	public static <K, V> ScriptExecutor<K> executor(RedisTemplate<K, V> template) {
		ScriptExecutor<K> delegate = new DefaultScriptExecutor<>(template);
		@SuppressWarnings("unchecked")
		RedisSerializer<K> keys = (RedisSerializer<K>) template.getKeySerializer();
		return new ScriptExecutor<>() {

			@Override
			public <T> T execute(RedisScript<T> script, List<K> keyList, Object... args) {
				check(script, keyList);
				return delegate.execute(script, keyList, args);
			}

			@Override
			public <T> T execute(RedisScript<T> script, RedisSerializer<?> argsSerializer,
					RedisSerializer<T> resultSerializer, List<K> keyList, Object... args) {
				check(script, keyList);
				return delegate.execute(script, argsSerializer, resultSerializer, keyList, args);
			}

			private void check(RedisScript<?> script, List<K> keyList) {
				if (keyList != null && keyList.size() > 1) {
					require("script " + script.getSha1(),
							keyList.stream()
								.map(k -> keys == null ? (byte[]) k : keys.serialize(k))
								.toArray(byte[][]::new));
				}
			}

		};
	}

}
