package dev.feedplatform.runtime.id;

/**
 * The durable copy of id worker floors: the latest epoch millisecond each slot's holder
 * may mint in. Redis holds the lease and a short floor but runs without persistence; this
 * copy is what a holder after a Redis restart starts above. Floors only rise, except when
 * a holder that still holds its lease settles the floor at the last millisecond it really
 * used, before letting go.
 */
public interface WorkerFloors {

	/** The recorded floor of a slot, epoch ms; 0 if none was ever recorded. */
	long read(int worker);

	/**
	 * Raises the slot's floor to at least {@code floorMs}; throws if the store can't be
	 * written.
	 */
	void raise(int worker, long floorMs);

	/**
	 * Lowers the slot's floor to {@code lastUsedMs} only if it is still
	 * {@code promisedMs}, the value this holder last raised it to: a successor's raise
	 * (after Redis lost the lease) makes it a no-op, so a holder can never undo a
	 * successor's promise.
	 */
	void settle(int worker, long promisedMs, long lastUsedMs);

	/**
	 * No durable copy: for applications without a database. A holder after Redis lost its
	 * data may then repeat ids of a holder before it.
	 */
	WorkerFloors NONE = new WorkerFloors() {

		@Override
		public long read(int worker) {
			return 0;
		}

		@Override
		public void raise(int worker, long floorMs) {
		}

		@Override
		public void settle(int worker, long promisedMs, long lastUsedMs) {
		}

	};

}
