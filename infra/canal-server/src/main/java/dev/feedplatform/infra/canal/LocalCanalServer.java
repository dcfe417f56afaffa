package dev.feedplatform.infra.canal;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import com.alibaba.otter.canal.instance.manager.CanalInstanceWithManager;
import com.alibaba.otter.canal.instance.manager.model.Canal;
import com.alibaba.otter.canal.instance.manager.model.CanalParameter;
import com.alibaba.otter.canal.instance.manager.model.CanalParameter.HAMode;
import com.alibaba.otter.canal.instance.manager.model.CanalParameter.IndexMode;
import com.alibaba.otter.canal.instance.manager.model.CanalParameter.MetaMode;
import com.alibaba.otter.canal.instance.manager.model.CanalParameter.SourcingType;
import com.alibaba.otter.canal.instance.manager.model.CanalParameter.StorageMode;
import com.alibaba.otter.canal.server.embedded.CanalServerWithEmbedded;
import com.alibaba.otter.canal.server.netty.CanalServerWithNetty;

/**
 * Starts a Canal server for local runs and tests, in a JVM of its own: Canal 1.1.7 calls
 * Spring 5 APIs that Spring 6+ removed, so it cannot live inside the Boot 4 application.
 *
 * <p>
 * Each destination ({@code feed.canal.destinations}, default {@code feed};
 * {@code bin/platform} serves {@code feed,bench}) reads the ROW binlog of the project's
 * MariaDB with its own cursor. Positions survive restarts: the meta manager is the
 * file-backed one (client cursors flushed to
 * {@code feed.canal.data}/&lt;destination&gt;/meta.dat every
 * {@code feed.canal.meta-flush-ms}) and the parser resumes from the last acknowledged
 * cursor ({@link IndexMode#META}). A cursor flushed late only means a replay of
 * already-acknowledged entries, which the sync's versioned writes absorb.
 *
 * <p>
 * Settings are system properties so {@code bin/platform} needs no config templating:
 * {@code feed.canal.port} (11111), {@code feed.db.port} (13306), {@code feed.db.user} /
 * {@code feed.db.password} (feed/feed), {@code feed.canal.data} (.run/canal).
 */
public final class LocalCanalServer {

	private LocalCanalServer() {
	}

	public static void main(String[] args) throws Exception {
		// Several destinations read the same binlog, each with its own cursor: the
		// platform's
		// ("feed") and the benchmarks' ("bench"), so a benchmark beside a running
		// platform syncs
		// its own index without taking the platform's client slot (issue 19).
		List<String> destinations = List
			.of(System.getProperty("feed.canal.destinations", System.getProperty("feed.canal.destination", "feed"))
				.split(","));
		int port = Integer.getInteger("feed.canal.port", 11111);
		int dbPort = Integer.getInteger("feed.db.port", 13306);
		Path data = Path.of(System.getProperty("feed.canal.data", ".run/canal")).toAbsolutePath();
		Files.createDirectories(data);
		java.util.Map<String, Canal> canals = new java.util.LinkedHashMap<>();
		for (int i = 0; i < destinations.size(); i++) {
			String destination = destinations.get(i).trim();
			canals.put(destination, canal(destination, i, dbPort, data));
		}

		CanalServerWithEmbedded embedded = CanalServerWithEmbedded.instance();
		// The client's subscribe filter narrows this further to the tables it indexes.
		embedded.setCanalInstanceGenerator(name -> new CanalInstanceWithManager(canals.get(name), ".*\\..*"));
		CanalServerWithNetty netty = CanalServerWithNetty.instance();
		netty.setEmbeddedServer(embedded);
		netty.setIp("127.0.0.1");
		netty.setPort(port);
		embedded.start();
		canals.keySet().forEach(embedded::start);
		netty.start();
		System.out
			.println("canal server ready on 127.0.0.1:" + port + " destinations " + String.join(",", canals.keySet()));

		CountDownLatch stopped = new CountDownLatch(1);
		Runtime.getRuntime().addShutdownHook(new Thread(() -> {
			// A clean stop flushes the file meta, so the next start replays nothing.
			netty.stop();
			embedded.stop();
			stopped.countDown();
		}, "canal-shutdown"));
		stopped.await();
	}

	/**
	 * One destination: its own MariaDB replica identity (slave id) and cursor file under
	 * {@code data}.
	 */
	private static Canal canal(String destination, int index, int dbPort, Path data) {
		CanalParameter parameter = new CanalParameter();
		parameter.setSourcingType(SourcingType.MYSQL);
		parameter.setDbAddresses(List.of(new InetSocketAddress("127.0.0.1", dbPort)));
		parameter.setDbUsername(System.getProperty("feed.db.user", "feed"));
		parameter.setDbPassword(System.getProperty("feed.db.password", "feed"));
		parameter.setDefaultDatabaseName(System.getProperty("feed.db.name", "feed"));
		parameter.setConnectionCharset("UTF-8");
		parameter.setSlaveId(Long.getLong("feed.canal.slave-id", 31_001L) + index);
		parameter.setMetaMode(MetaMode.LOCAL_FILE);
		parameter.setDataDir(data.toString());
		parameter.setMetaFileFlushPeriod(Integer.getInteger("feed.canal.meta-flush-ms", 200));
		parameter.setIndexMode(IndexMode.META);
		parameter.setStorageMode(StorageMode.MEMORY);
		parameter.setMemoryStorageBufferSize(16 * 1024);
		parameter.setHaMode(HAMode.HEARTBEAT);
		parameter.setDetectingEnable(false);
		// The live table definitions are read with DESC; no history store (tsdb) needed
		// for this schema.
		parameter.setTsdbEnable(false);
		parameter.setPort(Integer.getInteger("feed.canal.port", 11111));

		Canal canal = new Canal();
		canal.setId(index + 1L);
		canal.setName(destination);
		canal.setCanalParameter(parameter);
		return canal;
	}

}
