package dev.feedplatform.runtime.retry;

import java.time.Duration;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.core.NestedExceptionUtils;
import org.springframework.core.retry.RetryListener;
import org.springframework.core.retry.RetryPolicy;
import org.springframework.core.retry.RetryState;
import org.springframework.core.retry.RetryTemplate;
import org.springframework.core.retry.Retryable;
import org.springframework.dao.PessimisticLockingFailureException;

/**
 * Runs relational work again when it lost a lock conflict: InnoDB rolled the statement or
 * the transaction back whole (a deadlock victim, 1213; a lock wait timeout, 1205), so
 * running it again is exact, and its result then says what this call changed. One policy
 * for every caller (issue 20: the reactions and the follow graph each had a loop of their
 * own): Spring Framework 7's {@link RetryTemplate}, {@value #RETRIES} retries after 2 ms
 * doubling to at most 50 ms, with up to 2 ms of jitter so two losers don't collide again.
 * When the retries run out the last exception propagates, and the problem-details advice
 * answers it 503 ("a store is busy; try again").
 *
 * <p>
 * Work that must do something else between attempts (chat's message batches look their
 * keys up on a retry) keeps its own loop.
 */
public final class LockConflicts {

	private static final Logger log = LoggerFactory.getLogger(LockConflicts.class);

	/** Attempts after the first. */
	static final int RETRIES = 4;

	private final RetryTemplate template;

	public LockConflicts() {
		this.template = new RetryTemplate(RetryPolicy.builder()
			.includes(PessimisticLockingFailureException.class)
			.maxRetries(RETRIES)
			.delay(Duration.ofMillis(2))
			.multiplier(2)
			.maxDelay(Duration.ofMillis(50))
			.jitter(Duration.ofMillis(2))
			.build());
		this.template.setRetryListener(new RetryListener() {

			@Override
			public void beforeRetry(RetryPolicy policy, Retryable<?> retryable, RetryState state) {
				// The one trace of a conflict won on a retry (the driver's own error log
				// is
				// quieted for the expected duplicate keys).
				Throwable lost = state.getLastException();
				log.info("lost a lock conflict, retry {} of {}: {}", state.getRetryCount(), RETRIES,
						lost == null ? "?" : NestedExceptionUtils.getMostSpecificCause(lost).getMessage());
			}

		});
	}

	/**
	 * The work's result, after up to {@value #RETRIES} retries of a lost lock conflict.
	 */
	public <T> T retry(Supplier<T> work) {
		return this.template.invoke(work);
	}

}
