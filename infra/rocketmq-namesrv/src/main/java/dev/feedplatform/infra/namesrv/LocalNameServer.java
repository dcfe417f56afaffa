package dev.feedplatform.infra.namesrv;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.apache.rocketmq.namesrv.NamesrvStartup;

/**
 * Starts a RocketMQ NameServer for local runs and tests, in a JVM of its own: NameServer
 * and Broker sharing one JVM lost topic routes on this machine kind, separate JVMs do
 * not.
 *
 * <p>
 * Settings come as system properties so that {@code bin/platform} needs no config
 * templating: {@code feed.namesrv.port} (default 19876) and {@code feed.rocketmq.home}
 * (the run directory).
 */
public final class LocalNameServer {

	private LocalNameServer() {
	}

	public static void main(String[] args) throws IOException {
		Path home = Path.of(System.getProperty("feed.rocketmq.home", ".run/rocketmq")).toAbsolutePath();
		Files.createDirectories(home);
		// NamesrvStartup refuses to start without a RocketMQ home; logs and kv config go
		// below it.
		System.setProperty("rocketmq.home.dir", home.toString());
		String port = System.getProperty("feed.namesrv.port", "19876");
		Path conf = home.resolve("namesrv.conf");
		Files.writeString(conf,
				String.join("\n", "listenPort=" + port, "kvConfigPath=" + home.resolve("namesrv/kvConfig.json"),
						"configStorePath=" + home.resolve("namesrv/namesrv.properties"), ""));
		NamesrvStartup.main(new String[] { "-c", conf.toString() });
	}

}
