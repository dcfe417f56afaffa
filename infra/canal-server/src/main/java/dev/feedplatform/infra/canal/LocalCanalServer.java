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
 * Starts a Canal server for local runs and tests, in a JVM of its own: Canal 1.1.7 calls Spring 5
 * APIs that Spring 6+ removed, so it cannot live inside the Boot 4 application.
 *
 * <p>One destination ({@code feed.canal.destination}, default {@code feed}) reads the ROW binlog of
 * the project's MariaDB. Positions survive restarts: the meta manager is the file-backed one
 * (client cursors flushed to {@code feed.canal.data}/&lt;destination&gt;/meta.dat every
 * {@code feed.canal.meta-flush-ms}) and the parser resumes from the last acknowledged cursor
 * ({@link IndexMode#META}). A cursor flushed late only means a replay of already-acknowledged
 * entries, which the sync's versioned writes absorb.
 *
 * <p>Settings are system properties so {@code bin/platform} needs no config templating:
 * {@code feed.canal.port} (11111), {@code feed.db.port} (13306), {@code feed.db.user} /
 * {@code feed.db.password} (feed/feed), {@code feed.canal.data} (.run/canal).
 */
public final class LocalCanalServer {

	private LocalCanalServer() {
	}

	public static void main(String[] args) throws Exception {
		String destination = System.getProperty("feed.canal.destination", "feed");
		int port = Integer.getInteger("feed.canal.port", 11111);
		int dbPort = Integer.getInteger("feed.db.port", 13306);
		Path data = Path.of(System.getProperty("feed.canal.data", ".run/canal")).toAbsolutePath();
		Files.createDirectories(data);

		CanalParameter parameter = new CanalParameter();
		parameter.setSourcingType(SourcingType.MYSQL);
		parameter.setDbAddresses(List.of(new InetSocketAddress("127.0.0.1", dbPort)));
		parameter.setDbUsername(System.getProperty("feed.db.user", "feed"));
		parameter.setDbPassword(System.getProperty("feed.db.password", "feed"));
		parameter.setDefaultDatabaseName(System.getProperty("feed.db.name", "feed"));
		parameter.setConnectionCharset("UTF-8");
		parameter.setSlaveId(Long.getLong("feed.canal.slave-id", 31_001L));
		parameter.setMetaMode(MetaMode.LOCAL_FILE);
		parameter.setDataDir(data.toString());
		parameter.setMetaFileFlushPeriod(Integer.getInteger("feed.canal.meta-flush-ms", 200));
		parameter.setIndexMode(IndexMode.META);
		parameter.setStorageMode(StorageMode.MEMORY);
		parameter.setMemoryStorageBufferSize(16 * 1024);
		parameter.setHaMode(HAMode.HEARTBEAT);
		parameter.setDetectingEnable(false);
		// The live table definitions are read with DESC; no history store (tsdb) needed for this schema.
		parameter.setTsdbEnable(false);
		parameter.setPort(port);

		Canal canal = new Canal();
		canal.setId(1L);
		canal.setName(destination);
		canal.setCanalParameter(parameter);

		CanalServerWithEmbedded embedded = CanalServerWithEmbedded.instance();
		// The client's subscribe filter narrows this further to the tables it indexes.
		embedded.setCanalInstanceGenerator(name -> new CanalInstanceWithManager(canal, ".*\\..*"));
		CanalServerWithNetty netty = CanalServerWithNetty.instance();
		netty.setEmbeddedServer(embedded);
		netty.setIp("127.0.0.1");
		netty.setPort(port);
		embedded.start();
		embedded.start(destination);
		netty.start();
		System.out.println("canal server ready on 127.0.0.1:" + port + " destination " + destination);

		CountDownLatch stopped = new CountDownLatch(1);
		Runtime.getRuntime().addShutdownHook(new Thread(() -> {
			// A clean stop flushes the file meta, so the next start replays nothing.
			netty.stop();
			embedded.stop();
			stopped.countDown();
		}, "canal-shutdown"));
		stopped.await();
	}

}
