package dev.feedplatform.publish.store;

import java.util.List;

/**
 * A post as it is stored, after the request was validated ({@code PostRequest.validate})
 * or as an earlier insert under the same idempotency key recorded it.
 *
 * @param type {@code VIDEO}, {@code IMAGE}, or {@code REPOST} for a repost
 * @param title up to 200 characters
 * @param text the body, may be null
 * @param media http(s) URLs, at least one except for a repost
 * @param cover an http(s) URL, may be null
 */
public record NewPost(String type, String title, String text, List<String> media, String cover) {
}
