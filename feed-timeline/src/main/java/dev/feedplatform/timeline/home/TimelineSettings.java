package dev.feedplatform.timeline.home;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Timeline settings; the inbox shape is shared with fan-out ({@code feed.fanout.*}).
 *
 * @param activeDays an inbox not read for this many days stops being pushed to and expires
 * @param inboxCap the inbox cap fan-out trims to; regeneration fills up to it
 */
@ConfigurationProperties("feed.fanout")
public record TimelineSettings(@DefaultValue("7") int activeDays, @DefaultValue("800") int inboxCap) {
}
