package dev.feedplatform.timeline.home;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The inbox's shape ({@code feed.fanout.*}), read only here: the inbox's owner
 * ({@link HomeInbox}) trims every push to these caps (issue 20: the caps were bound
 * twice, in two modules).
 *
 * @param activeDays an inbox not read for this many days stops being pushed to and
 * expires
 * @param inboxCap ids kept for a frequent reader; regeneration fills up to it
 * @param occasionalInboxCap ids kept for a reader not seen within the planner's
 * {@code hot-within} (issue 19: inbox size follows activity, seed 003); deeper pages
 * continue from outboxes
 */
@ConfigurationProperties("feed.fanout")
public record TimelineSettings(@DefaultValue("7") int activeDays, @DefaultValue("800") int inboxCap,
		@DefaultValue("200") int occasionalInboxCap) {
}
