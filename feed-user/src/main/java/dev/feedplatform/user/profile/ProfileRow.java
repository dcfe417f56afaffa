package dev.feedplatform.user.profile;

/** The stored facts of a profile, without the viewer-relative {@code followed_by_me}. */
public record ProfileRow(long id, String nickname, long followers, long following, boolean bigAccount) {

	public UserView viewedBy(boolean followedByMe) {
		return new UserView(Long.toString(this.id), this.nickname, this.followers, this.following, this.bigAccount,
				followedByMe);
	}

}
