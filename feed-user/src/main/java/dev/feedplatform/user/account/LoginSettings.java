package dev.feedplatform.user.account;

import java.net.URI;
import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Login settings ({@code feed.login.*}).
 *
 * @param codeTtl how long a sent code stays valid: long enough to read an SMS, short
 * enough to make guessing pointless
 * @param maxAttempts wrong guesses allowed per code before it is burnt: 5 tries of a
 * 6-digit code give a guesser a 1 in 200,000 chance
 * @param resendAfter minimum time between two codes to one phone: SMS costs money and
 * annoys
 * @param fixedCode a code accepted for every phone without sending anything; only the
 * demo profile sets it ({@code 1000})
 * @param smsGateway base URL of the SMS gateway's HTTP API
 * @param smsTimeout how long to wait for the gateway before answering 502
 */
@ConfigurationProperties("feed.login")
public record LoginSettings(@DefaultValue("5m") Duration codeTtl, @DefaultValue("5") int maxAttempts,
		@DefaultValue("60s") Duration resendAfter, String fixedCode,
		@DefaultValue("http://127.0.0.1:18089") URI smsGateway, @DefaultValue("3s") Duration smsTimeout) {
}
