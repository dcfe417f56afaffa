package dev.feedplatform.searchsync.node;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.elasticsearch._types.FieldValue;
import co.elastic.clients.elasticsearch._types.SortOrder;
import co.elastic.clients.elasticsearch._types.VersionType;
import co.elastic.clients.elasticsearch.core.BulkResponse;
import co.elastic.clients.elasticsearch.core.SearchResponse;
import co.elastic.clients.elasticsearch.core.bulk.BulkOperation;
import co.elastic.clients.elasticsearch.core.bulk.BulkResponseItem;
import co.elastic.clients.elasticsearch.core.search.Hit;
import co.elastic.clients.elasticsearch.indices.GetAliasResponse;
import co.elastic.clients.json.JsonData;

import dev.feedplatform.searchsync.SearchSettings;

/**
 * The post indices on the search node: a read alias ({@code feed-posts}) over one
 * concrete index, a second alias over the index a rebuild is filling, and the versioned
 * bulk writes of the sync.
 *
 * <p>
 * Every write is {@code version_type=external_gte} with a version from the binlog
 * position, so the node itself refuses a write older than what it holds: a replayed
 * batch, a reordered one, two sync leaders overlapping for a moment, or a rebuild racing
 * the sync all settle on the newest. {@code _gte} rather than {@code _gt} so that
 * redelivering the very same batch is accepted, not reported as a conflict.
 */
public class PostIndex {

	private static final String MAPPING = """
			{
			  "settings": {
			    "number_of_shards": %d,
			    "number_of_replicas": %d,
			    "refresh_interval": "%dms"
			  },
			  "mappings": {
			    "dynamic": "strict",
			    "properties": {
			      "id": {"type": "long"},
			      "author_id": {"type": "long"},
			      "type": {"type": "keyword"},
			      "title": {"type": "text", "analyzer": "smartcn"},
			      "text": {"type": "text", "analyzer": "smartcn"},
			      "cover": {"type": "keyword", "index": false},
			      "live_room_id": {"type": "long"},
			      "created_at": {"type": "date", "format": "epoch_millis"},
			      "likes": {"type": "long"},
			      "favorites": {"type": "long"},
			      "shares": {"type": "long"},
			      "views": {"type": "long"},
			      "comments": {"type": "long"},
			      "popularity": {"type": "double"},
			      "fp": {"type": "keyword"}
			    }
			  }
			}""";

	private final ElasticsearchClient client;

	private final SearchSettings settings;

	public PostIndex(ElasticsearchClient client, SearchSettings settings) {
		this.client = client;
		this.settings = settings;
	}

	public ElasticsearchClient client() {
		return this.client;
	}

	public String readAlias() {
		return this.settings.index();
	}

	/** Concrete indices behind an alias (empty when the alias doesn't exist). */
	public Set<String> indicesOf(String alias) {
		try {
			GetAliasResponse response = this.client.indices()
				.getAlias(a -> a.name(alias).allowNoIndices(true).ignoreUnavailable(true));
			return new TreeSet<>(response.aliases().keySet());
		}
		catch (ElasticsearchException ex) {
			if (ex.status() == 404) {
				return Set.of();
			}
			throw ex;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Where the sync writes: the live index and, during a rebuild, the one being filled.
	 */
	public Set<String> writeTargets() {
		Set<String> targets = new TreeSet<>(indicesOf(readAlias()));
		targets.addAll(indicesOf(this.settings.buildingAlias()));
		return targets;
	}

	public String createIndex() {
		String name = readAlias() + "-" + System.currentTimeMillis();
		String body = MAPPING.formatted(this.settings.shards(), this.settings.replicas(),
				this.settings.refresh().toMillis());
		call(() -> this.client.indices().create(c -> c.index(name).withJson(new StringReader(body))));
		return name;
	}

	public void ensureLagIndex() {
		String lag = this.settings.lagIndex();
		boolean exists = call(() -> this.client.indices().exists(e -> e.index(lag))).value();
		if (!exists) {
			String body = """
					{"settings": {"number_of_shards": 1, "number_of_replicas": %d, "refresh_interval": "%dms"},
					 "mappings": {"dynamic": "strict", "properties": {"beat_ms": {"type": "long"}}}}"""
				.formatted(this.settings.replicas(), this.settings.refresh().toMillis());
			try {
				this.client.indices().create(c -> c.index(lag).withJson(new StringReader(body)));
			}
			catch (ElasticsearchException ex) {
				if (!"resource_already_exists_exception".equals(ex.error().type())) {
					throw ex;
				}
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}
	}

	public void markBuilding(String index) {
		call(() -> this.client.indices()
			.updateAliases(u -> u.actions(a -> a.add(add -> add.index(index).alias(this.settings.buildingAlias())))));
	}

	/**
	 * One atomic alias change: searches move from the old indices to the new one, the
	 * build alias goes.
	 */
	public void publish(String index, Collection<String> previous) {
		call(() -> this.client.indices().updateAliases(u -> {
			u.actions(a -> a.add(add -> add.index(index).alias(readAlias())));
			u.actions(a -> a.remove(r -> r.index(index).alias(this.settings.buildingAlias())));
			for (String old : previous) {
				if (!old.equals(index)) {
					u.actions(a -> a.remove(r -> r.index(old).alias(readAlias())));
				}
			}
			return u;
		}));
	}

	public void drop(String index) {
		try {
			this.client.indices().delete(d -> d.index(index).ignoreUnavailable(true));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	public static BulkOperation operation(String target, DocChange change) {
		if (change.delete()) {
			return BulkOperation.of(b -> b.delete(d -> d.index(target)
				.id(Long.toString(change.postId()))
				.version(change.version())
				.versionType(VersionType.ExternalGte)));
		}
		return BulkOperation.of(b -> b.index(i -> i.index(target)
			.id(change.doc().key())
			.version(change.version())
			.versionType(VersionType.ExternalGte)
			.document(change.doc())));
	}

	public BulkOperation heartbeat(long version, long beatMs) {
		return BulkOperation.of(b -> b.index(i -> i.index(this.settings.lagIndex())
			.id("beat")
			.version(version)
			.versionType(VersionType.ExternalGte)
			.document(Map.of("beat_ms", beatMs))));
	}

	/**
	 * Applies the operations; writes refused as older than what the node holds are
	 * counted, not failures. Anything else fails the whole call, so the caller does not
	 * acknowledge the batch.
	 */
	public BulkOutcome write(List<BulkOperation> operations) {
		if (operations.isEmpty()) {
			return new BulkOutcome(0, 0);
		}
		BulkResponse response = call(() -> this.client.bulk(b -> b.operations(operations)));
		int stale = 0;
		int applied = 0;
		List<String> failures = new ArrayList<>();
		for (BulkResponseItem item : response.items()) {
			if (item.error() == null) {
				applied++;
			}
			else if ("version_conflict_engine_exception".equals(item.error().type())) {
				stale++;
			}
			else if (failures.size() < 3) {
				failures.add(item.id() + ": " + item.error().type() + " " + item.error().reason());
			}
		}
		if (!failures.isEmpty()) {
			throw new IllegalStateException("search node refused writes: " + failures);
		}
		return new BulkOutcome(applied, stale);
	}

	/**
	 * Fingerprints of the documents with ids in {@code (after, upTo]}, for
	 * reconciliation.
	 */
	@SuppressWarnings("rawtypes")
	public Map<Long, String> fingerprints(String index, long after, long upTo) {
		Map<Long, String> found = new LinkedHashMap<>();
		List<FieldValue> searchAfter = null;
		while (true) {
			List<FieldValue> from = searchAfter;
			SearchResponse<Map> page = call(() -> this.client.search(s -> {
				s.index(index)
					.size(1000)
					.source(src -> src.filter(f -> f.includes("id", "fp")))
					// untyped, not number(): a number range takes doubles, which can't
					// hold a 64-bit id exactly
					.query(q -> q
						.range(r -> r.untyped(u -> u.field("id").gt(JsonData.of(after)).lte(JsonData.of(upTo)))))
					.sort(o -> o.field(f -> f.field("id").order(SortOrder.Asc)));
				if (from != null) {
					s.searchAfter(from);
				}
				return s;
			}, Map.class));
			List<Hit<Map>> hits = page.hits().hits();
			for (Hit<Map> hit : hits) {
				Object fp = hit.source() == null ? null : hit.source().get("fp");
				found.put(Long.parseLong(hit.id()), fp == null ? "" : fp.toString());
			}
			if (hits.size() < 1000) {
				return found;
			}
			searchAfter = hits.get(hits.size() - 1).sort();
		}
	}

	public void refresh(String index) {
		call(() -> this.client.indices().refresh(r -> r.index(index)));
	}

	private <T> T call(IoCall<T> call) {
		try {
			return call.run();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	@FunctionalInterface
	private interface IoCall<T> {

		T run() throws IOException;

	}

	/**
	 * How a bulk write went: written, or refused because the node already held something
	 * newer.
	 */
	public record BulkOutcome(int applied, int stale) {
	}

}
