package dev.feedplatform.runtime.messaging;

import java.util.function.Function;

import org.apache.rocketmq.common.message.MessageExt;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The one wire format of the platform's events (issue 20: hand-written {@code v1|a|b}
 * text beside Jackson): the JSON of the event record, its components as properties,
 * written and read by this one mapper (WebSocket frames use the application's). Records
 * decode through their canonical constructors: a field added later reads as its default
 * from an older message, and a field an older reader doesn't know is ignored.
 *
 * <p>
 * Messages sent before the switch are versioned text; a body that isn't a JSON object is
 * handed to the event's legacy text parser, so a broker holding such messages while the
 * new code starts loses none. The parsers can go once no such message can be left (the
 * local broker keeps its commit log 24 h, {@code fileReservedTime}). Old instances can't
 * read JSON: stop every instance for the upgrade that brings it, or upgrade readers
 * before writers.
 */
public final class EventJson {

	/**
	 * Unknown properties are ignored (Jackson 3's default: a newer emitter may add one);
	 * a missing primitive reads as its default (Jackson 3.1 refuses it unless told,
	 * databind#5734).
	 */
	private static final JsonMapper JSON = JsonMapper.builder()
		.disable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
		.disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
		.build();

	private EventJson() {
	}

	/** The event as JSON. */
	public static String encode(Object event) {
		return JSON.writeValueAsString(event);
	}

	/**
	 * The event in {@code body}: JSON, or (a message from before the switch) text for
	 * {@code legacyText}.
	 * @param legacyText the event's old text parser, or null when the event was never
	 * sent as text
	 * @throws IllegalArgumentException when it is neither (the delivery drops it as
	 * malformed)
	 */
	public static <T> T decode(String body, Class<T> type, Function<String, T> legacyText) {
		if (body.startsWith("{")) {
			try {
				return JSON.readValue(body, type);
			}
			catch (JacksonException ex) {
				throw new IllegalArgumentException("not a " + type.getSimpleName() + ": " + ex.getOriginalMessage(),
						ex);
			}
		}
		if (legacyText == null) {
			throw new IllegalArgumentException("not a " + type.getSimpleName() + " (not JSON): " + body);
		}
		return legacyText.apply(body);
	}

	/** A delivery's decoder of one event type, for {@link Deliveries}. */
	public static <T> Function<MessageExt, T> reader(Class<T> type, Function<String, T> legacyText) {
		return message -> decode(Deliveries.text(message), type, legacyText);
	}

}
