package dev.feedplatform.searchsync.sync;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch.core.SearchResponse;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import dev.feedplatform.searchsync.SearchSettings;
import org.springframework.context.SmartLifecycle;

/**
 * Measures the sync's lag the way a user feels it: from the moment a row is committed in
 * MariaDB to the moment a search returns it. The sync leader commits a heartbeat row (the
 * wall clock) every {@code feed.search.heartbeat}; it travels the whole path (binlog,
 * Canal, the sync, a bulk write, an index refresh), and this probe <em>searches</em> for
 * it every 500 ms (a get by id would read the translog and skip the refresh). Each new
 * heartbeat seen is one sample of {@code feed.search.lag}; {@code feed.search.lag.age} is
 * how old the newest heartbeat seen is, which keeps growing while any stage is stuck,
 * even with no writes at all (canal #4826's lag metric stayed flat then). Accurate to the
 * probe period plus clock skew between instances.
 */
public final class LagProbe implements SmartLifecycle {

	private final ElasticsearchClient client;

	private final SearchSettings settings;

	private final Timer lag;

	private final AtomicLong newestBeat = new AtomicLong(-1);

	private volatile ScheduledExecutorService timer;

	public LagProbe(ElasticsearchClient client, SearchSettings settings, MeterRegistry meters) {
		this.client = client;
		this.settings = settings;
		this.lag = Timer.builder("feed.search.lag")
			.description("MariaDB commit to searchable")
			.publishPercentiles(0.5, 0.99)
			.publishPercentileHistogram()
			.register(meters);
		Gauge.builder("feed.search.lag.age", this, LagProbe::ageSeconds)
			.baseUnit("seconds")
			.description("age of the newest heartbeat visible to searches")
			.register(meters);
	}

	public Timer lag() {
		return this.lag;
	}

	/**
	 * Seconds since the newest heartbeat a search can see was written; NaN before the
	 * first one.
	 */
	public double ageSeconds() {
		long beat = this.newestBeat.get();
		return beat < 0 ? Double.NaN : (System.currentTimeMillis() - beat) / 1000.0;
	}

	@SuppressWarnings("rawtypes")
	void probe() {
		try {
			SearchResponse<Map> response = this.client.search(s -> s.index(this.settings.lagIndex()).size(1),
					Map.class);
			if (response.hits().hits().isEmpty() || response.hits().hits().get(0).source() == null) {
				return;
			}
			long beat = ((Number) response.hits().hits().get(0).source().get("beat_ms")).longValue();
			long previous = this.newestBeat.getAndAccumulate(beat, Math::max);
			if (beat > previous && previous >= 0) {
				this.lag.record(Math.max(0, System.currentTimeMillis() - beat), TimeUnit.MILLISECONDS);
			}
		}
		catch (IOException | RuntimeException ex) {
			// The node is down or the lag index not created yet: the age gauge tells the
			// story.
		}
	}

	@Override
	public void start() {
		this.timer = Executors
			.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("search-lag-probe").daemon().factory());
		// Every 500 ms on every instance: a lag figure to half a second is plenty, and an
		// idle node
		// no longer serves ten searches a second per instance (issue 22).
		this.timer.scheduleWithFixedDelay(this::probe, 500, 500, TimeUnit.MILLISECONDS);
	}

	@Override
	public void stop() {
		ScheduledExecutorService t = this.timer;
		if (t != null) {
			t.shutdownNow();
		}
		this.timer = null;
	}

	@Override
	public boolean isRunning() {
		return this.timer != null;
	}

}
