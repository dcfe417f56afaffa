package dev.feedplatform.liveroombridge.im;

/**
 * One stored chat message (a row of {@code im_messages}), as it travels between nodes.
 * Clients see it through {@link ChatFrames}, with ids as strings; the idempotency key
 * (device, client seq) is shown only to the sender, in {@code sent}.
 *
 * @param msgId global, time-ordered id
 * @param conversation the conversation id ({@link ConversationId})
 * @param seq the message's place in its conversation: 1, 2, 3 ... without gaps
 * @param from the sender's user id
 * @param text the text as sent
 * @param ts when it was stored, epoch ms
 * @param device the sending device (part of the idempotency key)
 * @param clientSeq the sending device's number for it (part of the idempotency key)
 */
public record StoredMessage(long msgId, String conversation, long seq, long from, String text, long ts, String device,
		long clientSeq) {
}
