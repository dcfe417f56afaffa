package dev.feedplatform.infra.search;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import org.codelibs.elasticsearch.runner.ElasticsearchClusterRunner;

/**
 * Starts one Elasticsearch 7.10 node (the search node) for local runs and tests, in a JVM
 * of its own. No Elasticsearch 8/9 distribution can be installed on these machines; the
 * application talks to this node through the same elasticsearch-java client it uses for
 * real clusters, with a compatibility setting (see the search-sync module).
 *
 * <p>
 * Settings are system properties: {@code feed.search.port} (HTTP, default 19200),
 * {@code feed.search.data} (the node's home, kept across restarts) and
 * {@code feed.search.cluster}: the HTTP ports of every node of a cluster, this one
 * included (transport ports are each +100; {@code bin/platform --cluster} starts three).
 * Without it the node is a cluster of its own ({@code single-node}). The node ships the
 * {@code smartcn} analyser ({@link SmartChinesePlugin}) for Chinese word segmentation.
 */
public final class LocalSearchNode {

	private LocalSearchNode() {
	}

	public static void main(String[] args) throws Exception {
		int port = Integer.getInteger("feed.search.port", 19200);
		Path home = Path.of(System.getProperty("feed.search.data", ".run/search")).toAbsolutePath();
		Files.createDirectories(home);
		List<Integer> peers = Arrays.stream(System.getProperty("feed.search.cluster", "").split(","))
			.map(String::strip)
			.filter(p -> !p.isEmpty())
			.map(Integer::valueOf)
			.toList();
		ElasticsearchClusterRunner runner = new ElasticsearchClusterRunner();
		runner.onBuild((number, settings) -> {
			settings.put("http.port", port);
			settings.put("transport.port", port + 100);
			settings.put("network.host", "127.0.0.1");
			if (peers.isEmpty()) {
				settings.put("discovery.type", "single-node");
			}
			else {
				// One node of a cluster (bin/platform --cluster): its peers' transport
				// ports are the seeds; the first start elects a master among all of them.
				settings.put("node.name", "search-" + port);
				settings.putList("discovery.seed_hosts", peers.stream().map(p -> "127.0.0.1:" + (p + 100)).toList());
				settings.putList("cluster.initial_master_nodes", peers.stream().map(p -> "search-" + p).toList());
			}
			settings.putList("node.roles", "master", "data", "ingest");
			// A developer's nearly full disk must not turn the index read-only under the
			// tests.
			settings.put("cluster.routing.allocation.disk.threshold_enabled", false);
			settings.put("action.auto_create_index", false);
			// Requests the node answers with an error are the client's to handle (a
			// search of an index
			// whose shard is still starting, at start-up): no WARN stack trace per
			// request (issue 22).
			settings.put("logger.rest.suppressed", "error");
			// The cluster runner's bundled Log4j configuration logs
			// org.elasticsearch.action at DEBUG,
			// with a stack trace per failed shard search.
			settings.put("logger.org.elasticsearch.action", "info");
		})
			.build(ElasticsearchClusterRunner.newConfigs()
				.numOfNode(1)
				.clusterName("feed-search")
				.basePath(home.toString())
				.pluginTypes(SmartChinesePlugin.class.getName()));
		// Recovering shards from a crash under load can take longer than one wait allows:
		// keep the
		// node up and keep waiting, rather than exit and leave search down (issue 14).
		while (true) {
			try {
				runner.ensureYellow();
				break;
			}
			catch (RuntimeException | AssertionError notYet) {
				System.out.println("search node not yellow yet (" + notYet.getMessage() + "); still waiting");
			}
		}
		System.out.println("search node ready on 127.0.0.1:" + port);

		CountDownLatch stopped = new CountDownLatch(1);
		Runtime.getRuntime().addShutdownHook(new Thread(() -> {
			try {
				runner.close();
			}
			catch (Exception ex) {
				ex.printStackTrace();
			}
			stopped.countDown();
		}, "search-node-shutdown"));
		stopped.await();
	}

}
