package dev.feedplatform.economy.recharge;

import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.feedplatform.common.auth.Viewer;
import dev.feedplatform.common.error.Problem;
import dev.feedplatform.common.id.Ids;
import dev.feedplatform.economy.EconomySettings;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code POST /api/wallet/recharges}, {@code GET /api/wallet/recharges/{id}} and the
 * provider's {@code POST /api/payments/callback} (no bearer token: the body's signature
 * is the proof).
 */
@RestController
class RechargeController {

	record RechargeRequest(Long amount, @JsonProperty("idempotency_key") String idempotencyKey) {
	}

	private final Recharges recharges;

	private final EconomySettings settings;

	private final JsonMapper json;

	RechargeController(Recharges recharges, EconomySettings settings, JsonMapper json) {
		this.recharges = recharges;
		this.settings = settings;
		this.json = json;
	}

	@PostMapping("/api/wallet/recharges")
	@ResponseStatus(HttpStatus.CREATED)
	Recharges.OrderView create(@RequestBody RechargeRequest request, Viewer viewer) {
		if (request == null) {
			throw Problem.badRequest("a body {\"amount\",\"idempotency_key\"} is required");
		}
		return this.recharges.create(viewer.userId(), request.amount(), request.idempotencyKey());
	}

	@GetMapping("/api/wallet/recharges/{id}")
	Recharges.OrderView find(@PathVariable String id, Viewer viewer) {
		return this.recharges.find(Ids.parse(id, "recharge id"), viewer.userId());
	}

	/**
	 * The provider's notice {@code {"merchant_order_id","charge_id","amount","status"}};
	 * only {@code "PAID"} moves money. 401 unless {@code X-Signature} is the body's HMAC.
	 */
	@PostMapping("/api/payments/callback")
	@ResponseStatus(HttpStatus.NO_CONTENT)
	void callback(@RequestBody(required = false) byte[] body,
			@RequestHeader(name = "X-Signature", required = false) String signature) {
		byte[] raw = body == null ? new byte[0] : body;
		if (!Signatures.valid(this.settings.payment().secret(), raw, signature)) {
			throw Problem.unauthorized("the notice's X-Signature does not match its body");
		}
		JsonNode notice;
		try {
			notice = this.json.readTree(new String(raw, StandardCharsets.UTF_8));
		}
		catch (RuntimeException ex) {
			throw Problem.badRequest("the notice is not a JSON object");
		}
		if (!"PAID".equals(notice.path("status").asString(""))) {
			return; // failed or pending charges change nothing: the order expires unless
					// paid
		}
		long order = Ids.parse(notice.path("merchant_order_id").asString(null), "merchant_order_id");
		JsonNode amount = notice.path("amount");
		if (!amount.isIntegralNumber()) {
			throw Problem.badRequest("amount must be a whole number of coins");
		}
		this.recharges.settle(order, amount.asLong(), notice.path("charge_id").asString(null));
	}

}
