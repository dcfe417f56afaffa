package dev.feedplatform.runtime.ports;

import java.util.OptionalLong;

/**
 * Links between a post and things other modules own (a live room). Owned by the publish
 * module.
 */
public interface PostLinks {

	/** The author of a visible post; empty when the post is missing or retracted. */
	OptionalLong authorOf(long postId);

	/** Sets the post's {@code live_room_id}. */
	void linkLiveRoom(long postId, long roomId);

	/** Clears the post's {@code live_room_id} if it still points at this room. */
	void unlinkLiveRoom(long postId, long roomId);

}
