package dev.feedplatform.liveroombridge.im;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.feedplatform.common.error.Problem;
import dev.feedplatform.common.error.Require;
import dev.feedplatform.liveroombridge.im.GroupMapper.Group;
import dev.feedplatform.runtime.id.LeasedIdGenerator;
import dev.feedplatform.runtime.ports.UserDirectory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Group chats: creation (the creator is owner and member), members added by the owner,
 * removed by the owner or leaving themselves; at most {@code group-member-limit} members,
 * checked with the group's row locked so concurrent additions can't pass it together. A
 * member's conversation list holds the group from the moment they join, with what came
 * before counted as read.
 */
@Component
class Groups {

	/** Longest group name, in characters. */
	static final int MAX_NAME = 100;

	private final GroupMapper groups;

	private final TransactionTemplate transactions;

	private final LeasedIdGenerator ids;

	private final UserDirectory users;

	private final ImSettings settings;

	private final ChatRouter.GroupMembers cache;

	Groups(GroupMapper groups, TransactionTemplate transactions, LeasedIdGenerator ids, UserDirectory users,
			ImSettings settings, ChatRouter.GroupMembers cache) {
		this.groups = groups;
		this.transactions = transactions;
		this.ids = ids;
		this.users = users;
		this.settings = settings;
		this.cache = cache;
	}

	Map<String, Object> create(long owner, String name, List<Long> invited) {
		if (name == null || name.isBlank()) {
			throw Problem.badRequest("a group needs a \"name\"");
		}
		Require.wellFormed(name, "name");
		if (name.codePointCount(0, name.length()) > MAX_NAME) {
			throw Problem.badRequest("a group name has at most " + MAX_NAME + " characters");
		}
		Set<Long> members = new LinkedHashSet<>();
		members.add(owner);
		members.addAll(invited);
		if (members.size() > this.settings.groupMemberLimit()) {
			throw Problem.badRequest("a group has at most " + this.settings.groupMemberLimit() + " members");
		}
		for (long member : members) {
			if (member != owner && this.users.user(member).isEmpty()) {
				throw Problem.notFound("no user " + member);
			}
		}
		long id = this.ids.next();
		ConversationId conversation = ConversationId.ofGroup(id);
		List<Long> list = List.copyOf(members);
		this.transactions.executeWithoutResult(status -> {
			this.groups.insert(id, name, owner);
			this.groups.addMembers(id, list);
			this.groups.openConversation(conversation.value(), id);
			this.groups.listFor(conversation.value(), list);
		});
		return view(new Group(id, name, owner), list);
	}

	Map<String, Object> get(long groupId, long viewer) {
		Group group = require(groupId);
		List<Long> members = this.groups.members(groupId);
		if (!members.contains(viewer)) {
			throw Problem.forbidden("only members see a group");
		}
		return view(group, members);
	}

	void add(long groupId, long actor, long user) {
		require(groupId);
		if (this.users.user(user).isEmpty()) {
			throw Problem.notFound("no user " + user);
		}
		this.transactions.executeWithoutResult(status -> {
			Group group = this.groups.lock(groupId);
			if (group.ownerId() != actor) {
				throw Problem.forbidden("only the group's owner adds members");
			}
			if (this.groups.isMember(groupId, user) > 0) {
				return;
			}
			if (this.groups.count(groupId) >= this.settings.groupMemberLimit()) {
				throw Problem.badRequest("a group has at most " + this.settings.groupMemberLimit() + " members");
			}
			this.groups.addMembers(groupId, List.of(user));
			this.groups.listFor(ConversationId.ofGroup(groupId).value(), List.of(user));
		});
		this.cache.changed(groupId);
	}

	void remove(long groupId, long actor, long user) {
		Group group = require(groupId);
		if (actor != group.ownerId() && actor != user) {
			throw Problem.forbidden("only the owner removes others; a member may leave");
		}
		if (user == group.ownerId()) {
			throw Problem.conflict("the owner can't leave their group");
		}
		this.transactions.executeWithoutResult(status -> {
			this.groups.lock(groupId);
			this.groups.removeMember(groupId, user);
			this.groups.unlist(user, ConversationId.ofGroup(groupId).value());
		});
		this.cache.changed(groupId);
	}

	private Group require(long groupId) {
		Group group = this.groups.find(groupId);
		if (group == null) {
			throw Problem.notFound("no group " + groupId);
		}
		return group;
	}

	private static Map<String, Object> view(Group group, List<Long> members) {
		return Map.of("id", Long.toString(group.id()), "name", group.name(), "owner_id", Long.toString(group.ownerId()),
				"members", members.stream().map(String::valueOf).toList(), "conversation",
				ConversationId.ofGroup(group.id()).value());
	}

}
