package dev.feedplatform.user.follow;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Follow-graph settings.
 *
 * @param bigAccountThreshold {@code feed.big-account-threshold}: follower count from
 * which an account's posts are pulled at read time instead of pushed; crossing it is
 * sticky
 * @param maxFollowing {@code feed.max-following}: how many accounts one user may follow.
 * Bounds the home timeline's read-time merge and keeps the cached following set small
 */
@ConfigurationProperties("feed")
public record GraphSettings(@DefaultValue("10000") long bigAccountThreshold, @DefaultValue("5000") long maxFollowing) {
}
