package dev.feedplatform.runtime.id;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * {@link WorkerFloors} in MariaDB's {@code id_worker_floors} (migration V10), a table
 * only this class touches. One upsert per holder about every 15 s, so the cost is nil;
 * plain JdbcClient because three statements on a two-column table don't earn a mapper.
 */
public class JdbcWorkerFloors implements WorkerFloors {

	private final JdbcClient db;

	public JdbcWorkerFloors(JdbcClient db) {
		this.db = db;
	}

	@Override
	public long read(int worker) {
		return this.db.sql("SELECT floor_ms FROM id_worker_floors WHERE worker = ?")
			.param(worker)
			.query(Long.class)
			.optional()
			.orElse(0L);
	}

	@Override
	public void raise(int worker, long floorMs) {
		this.db.sql("""
				INSERT INTO id_worker_floors (worker, floor_ms) VALUES (?, ?)
				ON DUPLICATE KEY UPDATE floor_ms = GREATEST(floor_ms, VALUES(floor_ms))""")
			.param(worker)
			.param(floorMs)
			.update();
	}

	@Override
	public void settle(int worker, long promisedMs, long lastUsedMs) {
		this.db.sql("UPDATE id_worker_floors SET floor_ms = ? WHERE worker = ? AND floor_ms = ?")
			.param(lastUsedMs)
			.param(worker)
			.param(promisedMs)
			.update();
	}

}
