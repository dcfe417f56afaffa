package dev.feedplatform.liveroombridge.im;

import java.util.List;

/**
 * What one node gets to deliver (the body of a {@code feed-im-deliver} message tagged
 * with the node's id): stored messages with the users on that node who should get them,
 * and ready frames (presence, read cursors) with their users.
 *
 * @param entries the entries, each either a message or a frame
 */
record ChatDelivery(List<Entry> entries) {

	/**
	 * @param message a stored message (delivered through each device's ordered stream),
	 * or null
	 * @param frame a ready server → client frame, or null
	 * @param users the users on the receiving node it is for
	 */
	record Entry(StoredMessage message, String frame, List<Long> users) {
	}

}
