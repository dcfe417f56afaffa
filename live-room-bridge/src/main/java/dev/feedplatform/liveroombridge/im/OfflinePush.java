package dev.feedplatform.liveroombridge.im;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.feedplatform.common.keys.RedisKeys;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Push notifications for recipients with no device online, through the provider at
 * {@code feed.im.push-url} (off when empty, as in the demo profile). At most one push per
 * user and conversation per {@code push-interval}, across all nodes (a {@code SET NX}
 * with that TTL), and sent in batches: {@code POST
 * {"notifications":[{"user","conversation","from","msg_id","seq","text"?}]}}. The text is
 * left out when {@code push-include-text} is false. A provider that fails loses that
 * batch's notifications (counted): a push is a hint, the messages themselves wait in
 * history.
 */
@Component
class OfflinePush {

	private static final Logger log = LoggerFactory.getLogger(OfflinePush.class);

	/** Notifications per request to the provider. */
	static final int BATCH = 100;

	private final ImSettings settings;

	private final StringRedisTemplate redis;

	private final JsonMapper json;

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	private final ConcurrentLinkedQueue<Map<String, Object>> pending = new ConcurrentLinkedQueue<>();

	private final Counter sent;

	private final Counter failed;

	OfflinePush(ImSettings settings, StringRedisTemplate redis, JsonMapper json, MeterRegistry meters) {
		this.settings = settings;
		this.redis = redis;
		this.json = json;
		this.sent = Counter.builder("feed.im.push.sent")
			.description("offline push notifications the provider accepted")
			.register(meters);
		this.failed = Counter.builder("feed.im.push.failed")
			.description("offline push notifications lost to a failing provider")
			.register(meters);
	}

	boolean enabled() {
		return !this.settings.pushUrl().isBlank();
	}

	/**
	 * The user has no device online: queue a push unless one went out for this
	 * conversation within the interval.
	 */
	void offline(long userId, StoredMessage message) {
		if (!enabled()) {
			return;
		}
		Boolean first = this.redis.opsForValue()
			.setIfAbsent(RedisKeys.imPushSent(userId, message.conversation()), Long.toString(message.msgId()),
					this.settings.pushInterval());
		if (!Boolean.TRUE.equals(first)) {
			return;
		}
		Map<String, Object> notification = new LinkedHashMap<>();
		notification.put("user", Long.toString(userId));
		notification.put("conversation", message.conversation());
		notification.put("from", Long.toString(message.from()));
		notification.put("msg_id", Long.toString(message.msgId()));
		notification.put("seq", message.seq());
		if (this.settings.pushIncludeText()) {
			notification.put("text", message.text());
		}
		this.pending.add(notification);
	}

	@Scheduled(fixedDelay = 500)
	void flush() {
		while (!this.pending.isEmpty()) {
			List<Map<String, Object>> batch = new ArrayList<>();
			Map<String, Object> next;
			while (batch.size() < BATCH && (next = this.pending.poll()) != null) {
				batch.add(next);
			}
			post(batch);
		}
	}

	private void post(List<Map<String, Object>> batch) {
		try {
			HttpRequest request = HttpRequest.newBuilder(URI.create(this.settings.pushUrl()))
				.timeout(Duration.ofSeconds(5))
				.header("content-type", "application/json")
				.POST(HttpRequest.BodyPublishers.ofString(this.json.writeValueAsString(Map.of("notifications", batch))))
				.build();
			HttpResponse<Void> response = this.http.send(request, HttpResponse.BodyHandlers.discarding());
			if (response.statusCode() / 100 == 2) {
				this.sent.increment(batch.size());
				return;
			}
			log.warn("push provider answered {} for {} notifications", response.statusCode(), batch.size());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (Exception ex) {
			log.warn("push provider failed for {} notifications: {}", batch.size(), ex.toString());
		}
		this.failed.increment(batch.size());
	}

}
