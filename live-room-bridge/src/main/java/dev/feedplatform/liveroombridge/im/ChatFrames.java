package dev.feedplatform.liveroombridge.im;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.stereotype.Component;
import tools.jackson.core.io.JsonStringEncoder;
import tools.jackson.databind.json.JsonMapper;

/** The IM frames of API.md, rendered as text (ids as strings). */
@Component
class ChatFrames {

	private final JsonMapper json;

	ChatFrames(JsonMapper json) {
		this.json = json;
	}

	/**
	 * {@code {"type":"chat","msg_id","conversation","seq","from","text","ts"}}, written
	 * by hand: it is rendered for every message a node delivers, and only the text needs
	 * escaping (ids and conversation ids are digits, letters and colons).
	 */
	String chat(StoredMessage m) {
		StringBuilder out = new StringBuilder(96 + m.text().length());
		out.append("{\"type\":\"chat\",\"msg_id\":\"")
			.append(m.msgId())
			.append("\",\"conversation\":\"")
			.append(m.conversation())
			.append("\",\"seq\":")
			.append(m.seq())
			.append(",\"from\":\"")
			.append(m.from())
			.append("\",\"text\":\"");
		JsonStringEncoder.getInstance().quoteAsString(m.text(), out);
		return out.append("\",\"ts\":").append(m.ts()).append('}').toString();
	}

	/** The chat frame's fields without {@code type}: one item of a history page. */
	Map<String, Object> item(StoredMessage m) {
		Map<String, Object> item = new LinkedHashMap<>();
		item.put("msg_id", Long.toString(m.msgId()));
		item.put("conversation", m.conversation());
		item.put("seq", m.seq());
		item.put("from", Long.toString(m.from()));
		item.put("text", m.text());
		item.put("ts", m.ts());
		return item;
	}

	/**
	 * {@code {"type":"sent","client_seq","msg_id","conversation","seq"}}: the message is
	 * stored.
	 */
	String sent(long clientSeq, StoredMessage m) {
		return "{\"type\":\"sent\",\"client_seq\":" + clientSeq + ",\"msg_id\":\"" + m.msgId()
				+ "\",\"conversation\":\"" + m.conversation() + "\",\"seq\":" + m.seq() + "}";
	}

	/**
	 * {@code {"type":"synced","conversation","up_to_seq","has_more"}}: the end of a sync
	 * page.
	 */
	String synced(String conversation, long upTo, boolean hasMore) {
		Map<String, Object> frame = new LinkedHashMap<>();
		frame.put("type", "synced");
		frame.put("conversation", conversation);
		frame.put("up_to_seq", upTo);
		frame.put("has_more", hasMore);
		return this.json.writeValueAsString(frame);
	}

	/** {@code {"type":"error","status","detail","client_seq"?}}. */
	String error(int status, String detail, Long clientSeq) {
		Map<String, Object> frame = new LinkedHashMap<>();
		frame.put("type", "error");
		frame.put("status", status);
		frame.put("detail", detail);
		if (clientSeq != null) {
			frame.put("client_seq", clientSeq);
		}
		return this.json.writeValueAsString(frame);
	}

	/** {@code {"type":"presence","user","online","last_active"}}. */
	String presence(long user, boolean online, long lastActive) {
		Map<String, Object> frame = new LinkedHashMap<>();
		frame.put("type", "presence");
		frame.put("user", Long.toString(user));
		frame.put("online", online);
		frame.put("last_active", lastActive);
		return this.json.writeValueAsString(frame);
	}

	/**
	 * {@code {"type":"batch","items":[frames]}}: several ready frames (each a JSON
	 * object) as one.
	 */
	String batch(List<String> items) {
		StringBuilder out = new StringBuilder("{\"type\":\"batch\",\"items\":[");
		for (int i = 0; i < items.size(); i++) {
			out.append(i == 0 ? "" : ",").append(items.get(i));
		}
		return out.append("]}").toString();
	}

	/**
	 * {@code {"type":"read","conversation","read_seq","unread"}}: my read cursor moved
	 * (on another device, say).
	 */
	String read(String conversation, long readSeq, long unread) {
		Map<String, Object> frame = new LinkedHashMap<>();
		frame.put("type", "read");
		frame.put("conversation", conversation);
		frame.put("read_seq", readSeq);
		frame.put("unread", unread);
		return this.json.writeValueAsString(frame);
	}

}
