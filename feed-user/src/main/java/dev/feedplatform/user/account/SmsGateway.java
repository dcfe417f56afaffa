package dev.feedplatform.user.account;

import java.net.http.HttpClient;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.feedplatform.common.error.Problem;
import org.springframework.http.MediaType;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.stereotype.Component;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientException;

/**
 * The third-party SMS gateway: {@code POST {base}/messages {"to","text"}}, any 2xx is
 * accepted. A gateway that fails or is slow is the gateway's problem, reported as 502,
 * not ours (500).
 */
@Component
class SmsGateway {

	private static final Logger log = LoggerFactory.getLogger(SmsGateway.class);

	private final RestClient http;

	SmsGateway(LoginSettings settings) {
		// HTTP/1.1: gateways are plain REST endpoints, and h2c upgrade attempts get reset
		// by some servers.
		HttpClient client = HttpClient.newBuilder()
			.version(HttpClient.Version.HTTP_1_1)
			.connectTimeout(settings.smsTimeout())
			.build();
		JdkClientHttpRequestFactory requests = new JdkClientHttpRequestFactory(client);
		requests.setReadTimeout(settings.smsTimeout());
		this.http = RestClient.builder().baseUrl(settings.smsGateway().toString()).requestFactory(requests).build();
	}

	void sendCode(String phone, String code) {
		try {
			this.http.post()
				.uri("/messages")
				.contentType(MediaType.APPLICATION_JSON)
				.body(Map.of("to", phone, "text", "Your login code is " + code))
				.retrieve()
				.toBodilessEntity();
		}
		catch (RestClientException ex) {
			log.warn("SMS gateway failed for a login code: {}", ex.toString());
			throw Problem.badGateway("the SMS gateway could not send the code; try again");
		}
	}

}
