package dev.feedplatform.economy.recharge;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.feedplatform.common.error.Problem;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code feed.economy.payment.provider=http}: {@code POST <url>/charges} with
 * {@code {"merchant_order_id","amount","user_id","notify_url"}}, signed
 * ({@code X-Signature}); a 2xx answer {@code {"charge_id"}} means the provider took the
 * order (the merchant order id makes a repeat harmless on its side), and it notifies
 * {@code notify_url} once the money is collected.
 */
final class HttpPaymentProvider implements PaymentProvider {

	private static final Logger log = LoggerFactory.getLogger(HttpPaymentProvider.class);

	private final HttpClient http;

	private final URI charges;

	private final String secret;

	private final String notifyUrl;

	private final Duration timeout;

	private final JsonMapper json;

	HttpPaymentProvider(String url, String secret, String notifyUrl, Duration timeout, JsonMapper json) {
		this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
		this.charges = URI.create(url.replaceAll("/+$", "") + "/charges");
		this.secret = secret;
		this.notifyUrl = notifyUrl;
		this.timeout = timeout;
		this.json = json;
	}

	@Override
	public Charge charge(long orderId, long userId, long amount) {
		byte[] body = this.json
			.writeValueAsString(Map.of("merchant_order_id", Long.toString(orderId), "amount", amount, "user_id",
					Long.toString(userId), "notify_url", this.notifyUrl == null ? "" : this.notifyUrl))
			.getBytes(StandardCharsets.UTF_8);
		HttpRequest request = HttpRequest.newBuilder(this.charges)
			.timeout(this.timeout)
			.header("Content-Type", "application/json")
			.header("X-Signature", Signatures.sign(this.secret, body))
			.POST(HttpRequest.BodyPublishers.ofByteArray(body))
			.build();
		try {
			HttpResponse<String> response = this.http.send(request, HttpResponse.BodyHandlers.ofString());
			if (response.statusCode() / 100 != 2) {
				log.warn("payment provider answered {} for order {}", response.statusCode(), orderId);
				throw Problem.unavailable("the payment provider refused the charge for now; try again");
			}
			JsonNode answer = this.json.readTree(response.body());
			return new Charge(answer.path("charge_id").asString(null),
					"PAID".equals(answer.path("status").asString("")));
		}
		catch (java.io.IOException | RuntimeException ex) {
			if (ex instanceof Problem problem) {
				throw problem;
			}
			log.warn("payment provider unreachable for order {}: {}", orderId, ex.toString());
			throw Problem.unavailable("the payment provider is unavailable; try again");
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw Problem.unavailable("interrupted while calling the payment provider");
		}
	}

}
