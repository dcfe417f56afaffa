package dev.feedplatform.architecture;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 20: the coupling that hid in SQL strings. Each table has one owning module, the
 * only one whose main code (Java, MyBatis annotations, XML) names it after {@code FROM},
 * {@code JOIN}, {@code INTO} or {@code UPDATE}; the others read it through a port the
 * owner implements. ArchUnit sees classes, not SQL text, so this reads the main sources
 * of every product module, those that own no table (the timeline, the app) included.
 */
class TableOwnershipTests {

	/** Module directory → the tables it owns. */
	static final Map<String, Set<String>> OWNERS = Map.of("feed-publish", Set.of("posts", "post_blacklist"),
			"feed-user", Set.of("users", "follows"), "counter-server",
			Set.of("post_counters", "post_reactions", "counter_batches"), "feed-runtime", Set.of("id_worker_floors"),
			"feed-detail-aggregator", Set.of("comments", "view_history"), "live-room-bridge",
			Set.of("rooms", "im_conversations", "im_device_cursors", "im_group_members", "im_groups", "im_messages",
					"im_user_conversations"),
			"live-economy",
			Set.of("wallets", "ledger_entries", "gift_catalogue", "gifts", "goods", "pk_anchors", "pk_battles",
					"recharge_orders", "red_packet_grabs", "red_packet_grants", "red_packet_rains", "room_shelves",
					"sale_order_lines", "sale_orders"),
			"search-sync", Set.of("search_heartbeat"));

	/**
	 * The one allowed reader outside the owners: the search sync joins posts, counts and
	 * blacklist in one snapshot stamped with a binlog position (separate reads through
	 * ports would not be one snapshot). It only reads.
	 */
	static final Map<String, Set<String>> SNAPSHOT_READERS = Map.of("search-sync",
			Set.of("posts", "post_counters", "post_blacklist"));

	/**
	 * Not part of the product: the benchmarks and the chaos run seed and check rows of
	 * every table directly.
	 */
	static final Set<String> NOT_PRODUCT = Set.of("benchmarks", "chaos", "test-support");

	private static final Pattern TABLE_USE = Pattern.compile("\\b(?:FROM|JOIN|INTO|UPDATE)\\s+`?([a-z_]+)`?",
			Pattern.CASE_INSENSITIVE);

	@Test
	void onlyTheOwningModuleNamesItsTablesInSql() throws IOException {
		Path root = Path.of("..").toAbsolutePath().normalize();
		Set<String> owned = new TreeSet<>();
		OWNERS.values().forEach(owned::addAll);
		List<String> trespasses = new ArrayList<>();
		List<String> modules;
		try (Stream<Path> dirs = Files.list(root)) {
			modules = dirs.filter(dir -> Files.isDirectory(dir.resolve("src/main")))
				.map(dir -> dir.getFileName().toString())
				.filter(module -> !NOT_PRODUCT.contains(module))
				.sorted()
				.toList();
		}
		assertThat(modules).as("modules found").containsAll(OWNERS.keySet()).contains("feed-timeline", "feed-app");
		for (String module : modules) {
			Path main = root.resolve(module).resolve("src/main");
			try (Stream<Path> files = Files.walk(main)) {
				files.filter(f -> f.toString().endsWith(".java") || f.toString().endsWith(".xml")).forEach(file -> {
					for (String table : tables(read(file))) {
						if (owned.contains(table) && !OWNERS.getOrDefault(module, Set.of()).contains(table)
								&& !SNAPSHOT_READERS.getOrDefault(module, Set.of()).contains(table)) {
							trespasses.add(module + " names " + table + " in " + root.relativize(file));
						}
					}
				});
			}
		}
		assertThat(trespasses).as("SQL on another module's table (read it through the owner's port)").isEmpty();
	}

	@Test
	void theRuleSeesSqlInTheFormsTheCodeWritesIt() {
		assertThat(tables("SELECT id FROM posts WHERE id IN (:ids)")).containsExactly("posts");
		assertThat(tables("INSERT IGNORE INTO follows (a) VALUES (?)")).containsExactly("follows");
		assertThat(tables("FROM posts p\n LEFT JOIN post_counters c ON")).containsExactly("post_counters", "posts");
		assertThat(tables("UPDATE `users` SET x = 1")).containsExactly("users");
	}

	private static Set<String> tables(String sql) {
		Set<String> found = new TreeSet<>();
		Matcher use = TABLE_USE.matcher(sql);
		while (use.find()) {
			found.add(use.group(1).toLowerCase());
		}
		return found;
	}

	private static String read(Path file) {
		try {
			return Files.readString(file);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
