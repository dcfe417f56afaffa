package dev.feedplatform.liveroombridge.im;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The ordering rules of one device's stream, against an in-memory history of stored
 * messages.
 */
class DeviceStreamTests {

	static final String CONVERSATION = "d:1:2";

	/** Stored messages 1..n, as MariaDB would answer a range read. */
	static final class Stored implements DeviceStream.History {

		final List<StoredMessage> rows = new ArrayList<>();

		int reads;

		Stored upTo(int n) {
			for (int seq = this.rows.size() + 1; seq <= n; seq++) {
				this.rows.add(new StoredMessage(1000 + seq, CONVERSATION, seq, 1, "m" + seq, seq, "d", seq));
			}
			return this;
		}

		StoredMessage seq(int seq) {
			return this.rows.get(seq - 1);
		}

		@Override
		public List<StoredMessage> read(String conversation, long after, long upTo, int limit) {
			this.reads++;
			return this.rows.stream().filter(m -> m.seq() > after && m.seq() <= upTo).limit(limit).toList();
		}

	}

	static final long SECOND = 1_000_000_000L;

	final List<Long> sent = new ArrayList<>();

	DeviceStream stream(long base, int window) {
		return new DeviceStream(CONVERSATION, base, base, m -> this.sent.add(m.seq()), window, SECOND, 8 * SECOND);
	}

	@Test
	void aMessageAheadOfTheStreamIsSentOnlyAfterTheGapIsReadFromHistory() {
		Stored history = new Stored().upTo(3);
		DeviceStream stream = stream(0, 64);
		stream.offer(history.seq(3), history); // 1 and 2 never reached this node
		stream.offer(history.seq(1), history); // late
		stream.offer(history.seq(2), history);
		assertThat(this.sent).containsExactly(1L, 2L, 3L);
	}

	@Test
	void aMessageOfferedTwiceIsSentOnce() {
		Stored history = new Stored().upTo(2);
		DeviceStream stream = stream(0, 64);
		stream.offer(history.seq(1), history);
		stream.offer(history.seq(1), history);
		stream.offer(history.seq(2), history);
		assertThat(this.sent).containsExactly(1L, 2L);
		assertThat(history.reads).isZero();
	}

	@Test
	void theWindowHoldsMessagesBackUntilTheDeviceAcknowledges() {
		Stored history = new Stored().upTo(10);
		DeviceStream stream = stream(0, 4);
		for (int seq = 1; seq <= 10; seq++) {
			stream.offer(history.seq(seq), history);
		}
		assertThat(this.sent).containsExactly(1L, 2L, 3L, 4L);
		stream.ack(2, history);
		assertThat(this.sent).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
		stream.ackMessage(history.seq(3).msgId(), history);
		assertThat(this.sent).endsWith(7L);
		stream.ack(10, history); // acks past what was sent count only up to what was sent
		assertThat(this.sent).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L);
	}

	@Test
	void aSyncSendsFromWhereTheDeviceStandsWithoutRepeatingWhatThisConnectionSent() {
		Stored history = new Stored().upTo(30);
		DeviceStream stream = stream(10, 64);
		stream.offer(history.seq(11), history);
		stream.offer(history.seq(12), history);
		// the client has up to 10; 11 and 12 were sent here already
		long upTo = stream.sync(10, 30, 10, history);
		assertThat(upTo).isEqualTo(22);
		assertThat(this.sent).containsExactly(11L, 12L, 13L, 14L, 15L, 16L, 17L, 18L, 19L, 20L, 21L, 22L);
		// the client has more than this connection sent it
		long ahead = stream.sync(25, 30, 10, history);
		assertThat(ahead).isEqualTo(30);
		assertThat(this.sent).endsWith(22L, 26L, 27L, 28L, 29L, 30L);
		assertThat(stream.sync(99, 30, 10, history)).as("clamped to what is stored").isEqualTo(30);
	}

	@Test
	void theSendingDevicesOwnMessageMovesItsStreamWithoutAFrameOnlyWhenItIsNext() {
		Stored history = new Stored().upTo(4);
		DeviceStream stream = stream(0, 64);
		stream.offer(history.seq(1), history);
		// next: no frame, but the stream moves past it
		stream.offerOwn(history.seq(2), history);
		stream.offer(history.seq(3), history);
		assertThat(this.sent).containsExactly(1L, 3L);
		stream.ack(1, history); // its own 2 counts as acknowledged too
		assertThat(stream.inFlight()).isEqualTo(1);
		stream.ack(3, history);
		assertThat(stream.inFlight()).isZero();
		DeviceStream behind = stream(0, 64);
		this.sent.clear();
		// 1..3 not here yet: the gap is read and 4 sent in order
		behind.offerOwn(history.seq(4), history);
		assertThat(this.sent).containsExactly(1L, 2L, 3L, 4L);
	}

	@Test
	void aSyncFromBelowWhereTheStreamStartedIsAnsweredFromHistory() {
		Stored history = new Stored().upTo(30);
		// this connection started at 20 (the device's saved position)
		DeviceStream stream = stream(20, 64);
		stream.offer(history.seq(21), history);
		// the client lost its copy: it asks from 5
		long upTo = stream.sync(5, 21, 10, history);
		assertThat(upTo).isEqualTo(15);
		assertThat(this.sent).containsExactly(21L, 6L, 7L, 8L, 9L, 10L, 11L, 12L, 13L, 14L, 15L);
		assertThat(stream.sync(15, 30, 10, history)).isEqualTo(20);
		assertThat(this.sent).endsWith(15L, 16L, 17L, 18L, 19L, 20L);
		this.sent.clear();
		assertThat(stream.sync(20, 30, 10, history)).as("from the stream's start on, the stream pages")
			.isEqualTo(31 - 1);
		assertThat(this.sent).containsExactly(22L, 23L, 24L, 25L, 26L, 27L, 28L, 29L, 30L);
	}

	@Test
	void nothingIsSentWhileTheConnectionHasNoRoomAndItGoesOnOnceItHas() {
		Stored history = new Stored().upTo(5);
		boolean[] room = { false };
		DeviceStream stream = new DeviceStream(CONVERSATION, 0, 0, new DeviceStream.ImLinkFrames() {
			@Override
			public void chat(StoredMessage message) {
				DeviceStreamTests.this.sent.add(message.seq());
			}

			@Override
			public boolean room() {
				return room[0];
			}
		}, 64, SECOND, 8 * SECOND);
		for (int seq = 1; seq <= 5; seq++) {
			stream.offer(history.seq(seq), history);
		}
		assertThat(this.sent).isEmpty();
		assertThat(stream.pending()).isTrue();
		room[0] = true;
		stream.pump(history);
		assertThat(this.sent).containsExactly(1L, 2L, 3L, 4L, 5L);
		assertThat(stream.pending()).isFalse();
	}

	@Test
	void unacknowledgedMessagesAreSentAgainWithAGrowingBackoff() {
		Stored history = new Stored().upTo(2);
		DeviceStream stream = stream(0, 64);
		stream.offer(history.seq(1), history);
		stream.offer(history.seq(2), history);
		long now = System.nanoTime();
		stream.retry(now); // not yet due
		assertThat(this.sent).containsExactly(1L, 2L);
		stream.retry(now + 2 * SECOND);
		assertThat(this.sent).containsExactly(1L, 2L, 1L, 2L);
		stream.retry(now + 3 * SECOND); // the backoff doubled to 2 s
		assertThat(this.sent).hasSize(4);
		stream.retry(now + 4 * SECOND + SECOND / 2);
		assertThat(this.sent).hasSize(6);
		stream.ack(2, history);
		stream.retry(now + 100 * SECOND);
		assertThat(this.sent).hasSize(6);
		assertThat(stream.takeDirtyAck()).isEqualTo(2);
		assertThat(stream.takeDirtyAck()).isEqualTo(-1);
	}

}
