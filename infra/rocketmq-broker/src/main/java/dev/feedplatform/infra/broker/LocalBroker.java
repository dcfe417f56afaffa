package dev.feedplatform.infra.broker;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.apache.rocketmq.broker.BrokerStartup;

/**
 * Starts a single RocketMQ Broker (master, id 0) for local runs and tests, in a JVM of
 * its own.
 *
 * <p>
 * System properties: {@code feed.broker.port} (default 20911; the broker also binds
 * port-2 for its VIP channel and port+1 for HA), {@code feed.namesrv.addr} (default
 * 127.0.0.1:19876), {@code feed.rocketmq.home} and {@code feed.broker.name} (default
 * broker-a; {@code bin/platform --cluster} adds broker-b, a second master with a home of
 * its own in the same cluster, so every topic has queues on both). Topics are never
 * auto-created: each application declares and creates the topics it uses, so a typo
 * cannot silently create a topic nobody consumes.
 */
public final class LocalBroker {

	/**
	 * 64 MiB commit log files instead of 1 GiB: tests and local runs never need more,
	 * disks here are shared.
	 */
	private static final int COMMIT_LOG_FILE_BYTES = 64 * 1024 * 1024;

	private LocalBroker() {
	}

	public static void main(String[] args) throws IOException {
		Path home = Path.of(System.getProperty("feed.rocketmq.home", ".run/rocketmq")).toAbsolutePath();
		Path store = home.resolve("store");
		Files.createDirectories(store);
		System.setProperty("rocketmq.home.dir", home.toString());
		Path conf = home.resolve("broker.conf");
		Files.writeString(conf,
				String.join("\n", "brokerClusterName=FeedCluster",
						"brokerName=" + System.getProperty("feed.broker.name", "broker-a"), "brokerId=0",
						"brokerRole=ASYNC_MASTER",
						// Acknowledged messages are in the page cache: they survive a
						// crash of the broker process.
						"flushDiskType=ASYNC_FLUSH", "listenPort=" + System.getProperty("feed.broker.port", "20911"),
						"namesrvAddr=" + System.getProperty("feed.namesrv.addr", "127.0.0.1:19876"),
						"brokerIP1=127.0.0.1", "autoCreateTopicEnable=false",
						// A restarted NameServer knows the broker again within 10 s (the
						// shortest period the
						// broker allows; default 30 s), so routes and health come back
						// soon after it (issue 14).
						"registerNameServerPeriod=10000", "autoCreateSubscriptionGroup=true",
						"mappedFileSizeCommitLog=" + COMMIT_LOG_FILE_BYTES, "timerWheelEnable=true",
						"storePathRootDir=" + store, "storePathCommitLog=" + store.resolve("commitlog"),
						"deleteWhen=04", "fileReservedTime=24", ""));
		BrokerStartup.main(new String[] { "-c", conf.toString() });
	}

}
