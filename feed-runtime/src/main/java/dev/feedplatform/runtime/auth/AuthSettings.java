package dev.feedplatform.runtime.auth;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Token settings ({@code feed.auth.*}).
 *
 * @param tokenSecret HMAC secret shared by every app instance, at least 32 bytes
 * @param tokenTtl token lifetime: also the longest a demoted moderator keeps the role
 */
@ConfigurationProperties("feed.auth")
public record AuthSettings(String tokenSecret, @DefaultValue("7d") Duration tokenTtl) {
}
