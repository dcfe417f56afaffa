package dev.feedplatform.searchsync.node;

import java.net.URI;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.json.jackson.Jackson3JsonpMapper;
import co.elastic.clients.transport.rest5_client.Rest5ClientTransport;
import co.elastic.clients.transport.rest5_client.low_level.Rest5Client;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.HttpRequestInterceptor;
import org.apache.hc.core5.http.HttpResponseInterceptor;

import dev.feedplatform.searchsync.SearchSettings;

/**
 * Builds the elasticsearch-java client the platform uses against Elasticsearch 8/9 in
 * production.
 *
 * <p>
 * The local search node is Elasticsearch 7.10 (no 8/9 node can be installed here). Two
 * things keep the 9.x client from talking to it, and
 * {@link SearchSettings#compatibility()} fixes both: the client announces
 * {@code application/vnd.elasticsearch+json; compatible-with=9}, which 7.10 answers with
 * 406, so requests are rewritten to plain {@code application/json}; and the client
 * refuses responses without the {@code X-Elastic-Product} header, which 7.10 (before
 * 7.14) never sends, so the header is added on the way in. Against a real 8/9 cluster the
 * setting stays off and nothing is rewritten.
 */
public final class SearchNodeClient {

	private SearchNodeClient() {
	}

	public static Rest5Client lowLevel(SearchSettings settings) {
		HttpHost[] hosts = settings.nodes().stream().map(SearchNodeClient::host).toArray(HttpHost[]::new);
		var builder = Rest5Client.builder(hosts);
		if (settings.compatibility()) {
			HttpRequestInterceptor plainJson = (request, entity, context) -> {
				if (request.containsHeader("Content-Type") || entity != null) {
					request.setHeader("Content-Type", "application/json");
				}
				request.setHeader("Accept", "application/json");
			};
			HttpResponseInterceptor productHeader = (response, entity, context) -> {
				if (!response.containsHeader("X-Elastic-Product")) {
					response.addHeader("X-Elastic-Product", "Elasticsearch");
				}
			};
			builder.setHttpClientConfigCallback(
					http -> http.addRequestInterceptorLast(plainJson).addResponseInterceptorFirst(productHeader));
		}
		return builder.build();
	}

	public static ElasticsearchClient client(Rest5Client lowLevel) {
		return new ElasticsearchClient(new Rest5ClientTransport(lowLevel, new Jackson3JsonpMapper()));
	}

	private static HttpHost host(String url) {
		URI uri = URI.create(url);
		return new HttpHost(uri.getScheme() == null ? "http" : uri.getScheme(), uri.getHost(),
				uri.getPort() < 0 ? 9200 : uri.getPort());
	}

}
