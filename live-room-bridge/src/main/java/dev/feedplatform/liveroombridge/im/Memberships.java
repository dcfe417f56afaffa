package dev.feedplatform.liveroombridge.im;

import dev.feedplatform.common.error.Problem;
import org.springframework.stereotype.Component;

/**
 * Who may read a conversation: both sides of a 1:1, the members of a group (404 for a
 * group that doesn't exist).
 */
@Component
class Memberships {

	private final GroupMapper groups;

	Memberships(GroupMapper groups) {
		this.groups = groups;
	}

	void require(long userId, ConversationId conversation) {
		if (conversation.group()) {
			if (this.groups.find(conversation.groupId()) == null) {
				throw Problem.notFound("no group " + conversation.groupId());
			}
			if (this.groups.isMember(conversation.groupId(), userId) == 0) {
				throw Problem.forbidden("not a member of group " + conversation.groupId());
			}
		}
		else if (!conversation.hasSide(userId)) {
			throw Problem.forbidden("not a side of conversation " + conversation.value());
		}
	}

}
