package dev.feedplatform.economy;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code feed.economy.*} (API.md "Operations"; the environment names are set in the app's
 * properties).
 *
 * @param pkDuration how long a PK runs once accepted ({@code FEED_PK_DURATION})
 * @param pkInviteTtl how long a PK invitation waits for an anchor to accept it
 * @param pkCoinsPerPoint gift value, in coins, that moves a PK bar one point (seed: 200
 * yuan, 20 points)
 * @param rechargeExpireAfter how long a recharge order waits for the provider's payment
 * ({@code FEED_RECHARGE_EXPIRE_AFTER})
 * @param orderPayWithin how long a flash-sale order may wait for payment
 * ({@code FEED_ORDER_PAY_WITHIN}; issue 18)
 * @param giftRate gifts a user may send a second, over every node (Redisson rate limiter)
 * @param pkActionRate PK invitations and accepts a user may make a minute
 * @param sweepAfter a gift whose effects have not run after this long is sent to them
 * again
 * @param redPacketPerUser packets a user may take from one rain unless the rain says
 * otherwise (issue 18)
 * @param orderRate flash-sale pre-orders a user may place a second, over every node
 * (Redisson rate limiter; issue 18)
 * @param payment the payment provider
 */
@ConfigurationProperties("feed.economy")
public record EconomySettings(@DefaultValue("5m") Duration pkDuration, @DefaultValue("5m") Duration pkInviteTtl,
		@DefaultValue("10") long pkCoinsPerPoint, @DefaultValue("30m") Duration rechargeExpireAfter,
		@DefaultValue("15m") Duration orderPayWithin, @DefaultValue("20") int giftRate,
		@DefaultValue("10") int pkActionRate, @DefaultValue("30s") Duration sweepAfter,
		@DefaultValue("1") int redPacketPerUser, @DefaultValue("5") int orderRate, @DefaultValue Payment payment) {

	/**
	 * @param provider {@code none} (recharges answer 503: the default outside the demo
	 * profile), {@code demo} (built in: pays at once, as the seed does without a merchant
	 * account) or {@code http} (a provider at {@code url}, which confirms by calling
	 * back)
	 * @param url the provider's base URL ({@code http} only); charges are created at
	 * {@code url/charges}
	 * @param secret the key both sides sign request bodies with (HMAC-SHA256, hex,
	 * {@code X-Signature})
	 * @param notifyUrl where the provider sends its payment notices
	 * ({@code /api/payments/callback} on this platform)
	 * @param timeout how long a call to the provider may take
	 */
	public record Payment(@DefaultValue("none") String provider, String url, String secret, String notifyUrl,
			@DefaultValue("5s") Duration timeout) {
	}

}
