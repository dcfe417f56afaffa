package dev.feedplatform.liveroombridge.im;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.feedplatform.common.error.Problem;
import dev.feedplatform.liveroombridge.im.MessageStore.Draft;
import dev.feedplatform.liveroombridge.im.MessageStore.Outcome;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * Group commit of every send on this node: senders queue their drafts (one queue per
 * writer, by conversation, so a conversation's sends from one node are stored in the
 * order they came), writer threads take what has gathered (up to {@code store-batch}
 * messages, or about 4 MB of text) and store it in one transaction, then hand the stored
 * messages to routing, and only then complete the senders' futures. So {@code sent} means
 * stored and on its way (a send whose routing failed answers 503 and its retry, found by
 * its idempotency key, routes it again). While one batch commits, the next gathers: under
 * load a commit's fsync is paid once per batch instead of once per message.
 */
@Component
class SendQueue implements DisposableBean {

	private static final Logger log = LoggerFactory.getLogger(SendQueue.class);

	/**
	 * Two writers: one batch commits (an fsync) while the other fills; more only wait on
	 * the same row locks.
	 */
	static final int WRITERS = 2;

	/**
	 * Text per batch, bounded well under MariaDB's 16 MB packet limit even for 4-byte
	 * characters.
	 */
	static final long MAX_BATCH_CHARS = 1_000_000;

	private record Pending(Draft draft, CompletableFuture<Outcome> answer) {
	}

	/**
	 * One queue per writer; a conversation always goes to the same one, so one sender's
	 * messages keep their order.
	 */
	private final List<LinkedBlockingQueue<Pending>> queues = new ArrayList<>();

	private final MessageStore store;

	private final ChatRouter router;

	private final ImSettings settings;

	private final List<Thread> writers = new ArrayList<>();

	private final DistributionSummary batchSizes;

	private volatile boolean running = true;

	SendQueue(MessageStore store, ChatRouter router, ImSettings settings, MeterRegistry meters) {
		this.store = store;
		this.router = router;
		this.settings = settings;
		this.batchSizes = DistributionSummary.builder("feed.im.store.batch")
			.description("messages stored per transaction")
			.register(meters);
		for (int i = 0; i < WRITERS; i++) {
			LinkedBlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
			this.queues.add(queue);
			this.writers.add(Thread.ofPlatform().name("im-store-" + i).daemon().start(() -> write(queue)));
		}
	}

	/**
	 * Completes once the draft is stored and routed (or refused); fails with 503 when a
	 * store failed.
	 */
	CompletableFuture<Outcome> submit(Draft draft) {
		CompletableFuture<Outcome> answer = new CompletableFuture<>();
		if (!this.running) {
			answer.completeExceptionally(Problem.unavailable("this node is shutting down; reconnect"));
			return answer;
		}
		this.queues.get(Math.floorMod(draft.conversation().value().hashCode(), WRITERS))
			.add(new Pending(draft, answer));
		return answer;
	}

	private void write(LinkedBlockingQueue<Pending> queue) {
		List<Pending> batch = new ArrayList<>();
		while (this.running) {
			try {
				Pending first = queue.poll(200, TimeUnit.MILLISECONDS);
				if (first == null) {
					continue;
				}
				batch.add(first);
				long chars = first.draft().text().length();
				Pending next;
				while (batch.size() < this.settings.storeBatch() && chars < MAX_BATCH_CHARS
						&& (next = queue.poll()) != null) {
					batch.add(next);
					chars += next.draft().text().length();
				}
				storeAndRoute(batch);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
			finally {
				batch.clear();
			}
		}
	}

	private void storeAndRoute(List<Pending> batch) {
		List<Outcome> outcomes;
		try {
			outcomes = this.store.store(batch.stream().map(Pending::draft).toList());
		}
		catch (RuntimeException ex) {
			log.warn("storing {} chat messages failed: {}", batch.size(), ex.toString());
			batch.forEach(p -> p.answer()
				.completeExceptionally(Problem.unavailable("could not store the message now; send it again")));
			return;
		}
		this.batchSizes.record(batch.size());
		List<StoredMessage> stored = outcomes.stream()
			.filter(o -> o.message() != null)
			.map(Outcome::message)
			.distinct()
			.toList();
		try {
			this.router.route(stored);
		}
		catch (RuntimeException ex) {
			// Stored, not routed: the sender's retry finds it by its key and routes it
			// again.
			log.warn("routing {} stored chat messages failed: {}", stored.size(), ex.toString());
			batch.forEach(p -> p.answer()
				.completeExceptionally(Problem.unavailable("stored but not yet delivered; send it again")));
			return;
		}
		for (int i = 0; i < batch.size(); i++) {
			batch.get(i).answer().complete(outcomes.get(i));
		}
	}

	@Override
	public void destroy() {
		this.running = false;
		this.writers.forEach(Thread::interrupt);
		for (LinkedBlockingQueue<Pending> queue : this.queues) {
			Pending left;
			while ((left = queue.poll()) != null) {
				left.answer().completeExceptionally(Problem.unavailable("this node is shutting down; reconnect"));
			}
		}
	}

}
