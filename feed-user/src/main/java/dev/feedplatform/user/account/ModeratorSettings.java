package dev.feedplatform.user.account;

import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Moderators by phone number ({@code feed.moderators}, env {@code FEED_MODERATORS}). The
 * role is written into the token at login, so a change takes effect at the next login.
 */
@ConfigurationProperties("feed")
public record ModeratorSettings(@DefaultValue List<String> moderators) {

	boolean isModerator(String phone) {
		return this.moderators.stream().map(String::trim).anyMatch(phone::equals);
	}

}
