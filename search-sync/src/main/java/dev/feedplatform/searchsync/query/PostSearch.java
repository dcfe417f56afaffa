package dev.feedplatform.searchsync.query;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.elasticsearch.core.SearchResponse;
import co.elastic.clients.elasticsearch.core.search.Hit;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import dev.feedplatform.common.error.Problem;
import dev.feedplatform.common.error.Require;
import dev.feedplatform.common.posts.PostSummary;
import dev.feedplatform.runtime.ports.Blacklist;
import dev.feedplatform.searchsync.SearchSettings;
import dev.feedplatform.searchsync.node.PostDocument;

/**
 * Ranked post search: BM25 text relevance (title weighted over text, an exact title
 * phrase weighted more) × popularity ({@code log10(2 + popularity)}, so a viral post wins
 * among equals without drowning relevance) × recency (Gaussian decay: full weight for a
 * day, half at a week).
 *
 * <p>
 * Results come from the documents themselves (no database read per page), then pass the
 * blacklist every read path checks, so a post a moderator hid or its author retracted is
 * gone from results at once, before the binlog has carried the change to the search node.
 */
public class PostSearch {

	static final int MAX_QUERY_CHARS = 200;

	private final ElasticsearchClient client;

	private final SearchSettings settings;

	private final Blacklist blacklist;

	private final JsonMapper json = JsonMapper.builder().build();

	public PostSearch(ElasticsearchClient client, SearchSettings settings, Blacklist blacklist) {
		this.client = client;
		this.settings = settings;
		this.blacklist = blacklist;
	}

	/**
	 * One page for {@code viewer}: a user's searches go to the same copy of each shard
	 * ({@code preference}), so with replicas (each copy refreshes on its own clock) a
	 * result once seen doesn't vanish on the next page or the next search, and pages
	 * neither skip nor repeat across copies (issue 21's search cluster).
	 */
	public SearchPage search(String q, int size, String cursorToken, long viewer) {
		String query = q == null ? "" : Require.wellFormed(q, "q").strip();
		if (query.isEmpty()) {
			throw Problem.badRequest("q must not be blank");
		}
		if (query.length() > MAX_QUERY_CHARS) {
			throw Problem.badRequest("q is longer than " + MAX_QUERY_CHARS + " characters");
		}
		SearchCursor cursor = (cursorToken == null || cursorToken.isBlank()) ? null : SearchCursor.decode(cursorToken);
		long origin = cursor == null ? System.currentTimeMillis() : cursor.originMs();
		// one more than asked: whether anything follows
		String body = body(query, size + 1, origin, cursor);
		SearchResponse<PostDocument> response;
		try {
			response = this.client.search(
					s -> s.index(this.settings.index()).preference("user-" + viewer).withJson(new StringReader(body)),
					PostDocument.class);
		}
		catch (ElasticsearchException ex) {
			if (ex.status() == 404) {
				return new SearchPage(List.of(), null, false, null); // no index built yet
			}
			throw Problem.unavailable("search is unavailable: " + ex.error().type());
		}
		catch (IOException | UncheckedIOException ex) {
			throw Problem.unavailable("search is unavailable");
		}
		List<Hit<PostDocument>> fetched = response.hits().hits();
		boolean more = fetched.size() > size;
		List<Hit<PostDocument>> hits = more ? fetched.subList(0, size) : fetched;
		List<Long> ids = hits.stream().map(h -> Long.parseLong(h.id())).toList();
		Set<Long> blocked = this.blacklist.blocked(ids);
		List<PostSummary> items = new ArrayList<>(hits.size());
		for (Hit<PostDocument> hit : hits) {
			PostDocument doc = hit.source();
			if (doc != null && !blocked.contains(doc.id())) {
				items.add(summary(doc));
			}
		}
		String next = null;
		if (more) {
			Hit<PostDocument> last = hits.get(hits.size() - 1);
			next = new SearchCursor(origin, last.sort().get(0).doubleValue(), last.sort().get(1).longValue()).encode();
		}
		return new SearchPage(items, next, more, next);
	}

	private String body(String query, int size, long origin, SearchCursor cursor) {
		ObjectNode root = this.json.createObjectNode();
		root.put("size", size);
		root.put("track_total_hits", false);
		ObjectNode functionScore = root.putObject("query").putObject("function_score");
		ObjectNode bool = functionScore.putObject("query").putObject("bool");
		ObjectNode multi = bool.putArray("must").addObject().putObject("multi_match");
		multi.put("query", query);
		multi.putArray("fields").add("title^3").add("text");
		multi.put("type", "best_fields");
		ObjectNode phrase = bool.putArray("should").addObject().putObject("match_phrase").putObject("title");
		phrase.put("query", query);
		phrase.put("boost", 2);
		ArrayNode functions = functionScore.putArray("functions");
		ObjectNode popularity = functions.addObject().putObject("field_value_factor");
		popularity.put("field", "popularity");
		popularity.put("modifier", "log2p");
		popularity.put("missing", 0);
		ObjectNode decay = functions.addObject().putObject("gauss").putObject("created_at");
		decay.put("origin", origin);
		decay.put("offset", "1d");
		decay.put("scale", "6d");
		decay.put("decay", 0.5);
		functionScore.put("score_mode", "multiply");
		functionScore.put("boost_mode", "multiply");
		ArrayNode sort = root.putArray("sort");
		sort.addObject().putObject("_score").put("order", "desc");
		sort.addObject().putObject("id").put("order", "desc");
		if (cursor != null) {
			root.putArray("search_after").add(cursor.score()).add(cursor.id());
		}
		return root.toString();
	}

	private static PostSummary summary(PostDocument doc) {
		return new PostSummary(Long.toString(doc.id()), Long.toString(doc.authorId()), doc.type(), doc.title(),
				doc.cover(), Instant.ofEpochMilli(doc.createdAt()).toString(),
				doc.liveRoomId() == null ? null : Long.toString(doc.liveRoomId()));
	}

}
