package dev.feedplatform.runtime;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;

/**
 * The project's own MariaDB (bin/platform, {@code FEED_DB_PORT}), migrated, for runtime
 * tests without a Spring context.
 */
public final class ProjectDb {

	private ProjectDb() {
	}

	public static JdbcClient migrated() throws Exception {
		int port = Integer.parseInt(System.getenv().getOrDefault("FEED_DB_PORT", "13306"));
		DataSource source = new SimpleDriverDataSource(new org.mariadb.jdbc.Driver(),
				"jdbc:mariadb://127.0.0.1:" + port + "/feed", "feed", "feed");
		Flyway.configure().dataSource(source).locations("classpath:db/migration").load().migrate();
		return JdbcClient.create(source);
	}

}
