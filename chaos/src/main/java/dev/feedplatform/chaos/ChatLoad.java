package dev.feedplatform.chaos;

import java.time.Duration;
import java.util.List;

import dev.feedplatform.testsupport.ImClient;
import dev.feedplatform.testsupport.Users.TestUser;

/**
 * 1:1 chat through the WebSocket gateway, as a careful client does it: the sender numbers
 * its messages ({@code client_seq}) and sends each until a {@code sent} frame
 * acknowledges it, reconnecting whenever the connection is lost (a retry with the same
 * {@code client_seq} is stored once); the receiver stays connected, reconnecting
 * likewise, and acknowledges what it gets. At the end every acknowledged message must
 * have reached the receiver exactly once, in order.
 */
final class ChatLoad {

	private final int gatewayPort;

	private final TestUser sender;

	private final TestUser receiver;

	private final Ledger ledger;

	private final Outcomes outcomes;

	private volatile ImClient out;

	private volatile ImClient in;

	private volatile boolean stopped;

	ChatLoad(int gatewayPort, TestUser sender, TestUser receiver, Ledger ledger, Outcomes outcomes) {
		this.gatewayPort = gatewayPort;
		this.sender = sender;
		this.receiver = receiver;
		this.ledger = ledger;
		this.outcomes = outcomes;
	}

	String conversation() {
		return "d:" + Math.min(this.sender.id(), this.receiver.id()) + ":"
				+ Math.max(this.sender.id(), this.receiver.id());
	}

	/** The receiver's accepted messages so far. */
	ImClient.Accepted received() {
		ImClient client = this.in;
		return client == null ? new ImClient.Accepted() : client.accepted(conversation());
	}

	void start(Duration every) {
		Thread.ofVirtual().name("chaos-chat-receiver").start(this::keepReceiverConnected);
		Thread.ofVirtual().name("chaos-chat-sender").start(() -> send(every));
	}

	void stop() {
		this.stopped = true;
	}

	private void send(Duration every) {
		long seq = 0;
		while (!this.stopped) {
			seq++;
			long deadline = System.nanoTime() + Workload.GIVE_UP.toNanos();
			while (!this.stopped && System.nanoTime() < deadline) {
				try {
					ImClient client = this.out;
					if (client == null || client.isClosed()) {
						client = connected(this.out, this.sender, "chaos-sender");
						this.out = client;
					}
					client.chat(this.receiver.id(), seq, "m" + seq);
					client.sent(seq);
					this.ledger.chats.put(seq, this.outcomes.phase());
					break;
				}
				catch (RuntimeException | AssertionError lost) {
					pause(Duration.ofMillis(500));
				}
			}
			pause(every);
		}
		List.of(this.out).forEach(c -> {
			if (c != null) {
				c.close();
			}
		});
	}

	private void keepReceiverConnected() {
		while (!this.stopped) {
			try {
				ImClient client = this.in;
				if (client == null || client.isClosed()) {
					this.in = connected(client, this.receiver, "chaos-receiver");
				}
			}
			catch (RuntimeException down) {
				// the gateway is down: try again shortly
			}
			pause(Duration.ofMillis(500));
		}
	}

	/**
	 * A new connection for the device; a reconnect keeps what the previous one accepted.
	 */
	private ImClient connected(ImClient previous, TestUser user, String device) {
		return previous == null ? ImClient.connect(this.gatewayPort, user.token(), device)
				: previous.reconnect(this.gatewayPort);
	}

	/** Closes the receiver after the check. */
	void close() {
		ImClient client = this.in;
		if (client != null) {
			client.close();
		}
	}

	private static void pause(Duration d) {
		try {
			Thread.sleep(d.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
