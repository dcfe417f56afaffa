package dev.feedplatform.publish.fanout;

import dev.feedplatform.publish.events.FanOutBatch;
import dev.feedplatform.runtime.messaging.RocketMq;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * This instance's membership in the fan-out worker group. Every member takes a share of
 * the batch topic's queues; when one dies, the broker rebalances its queues to the
 * others, which resume from the last committed offsets, so batches it had taken but not
 * finished are delivered again.
 */
@Component
public class FanOutWorkers {

	static final String GROUP = "feed-fanout-worker";

	private final RocketMq rocketMq;

	private final FanOut fanOut;

	private final FanOutSettings settings;

	private boolean started;

	FanOutWorkers(RocketMq rocketMq, FanOut fanOut, FanOutSettings settings) {
		this.rocketMq = rocketMq;
		this.fanOut = fanOut;
		this.settings = settings;
	}

	/**
	 * Joins the worker group once the application is ready, unless
	 * {@code feed.fanout.workers-enabled} is false.
	 */
	@EventListener(ApplicationReadyEvent.class)
	void startIfEnabled() {
		if (this.settings.workersEnabled()) {
			start();
		}
	}

	/** Joins the worker group; idempotent. */
	public synchronized void start() {
		if (!this.started) {
			this.rocketMq.subscribe(GROUP, FanOutBatch.TOPIC, this.fanOut.worker(), this.settings.workerThreads());
			this.started = true;
		}
	}

}
