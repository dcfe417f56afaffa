package dev.feedplatform.liveroombridge.im;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.feedplatform.common.auth.Viewer;
import dev.feedplatform.common.error.Problem;
import dev.feedplatform.common.id.Ids;
import dev.feedplatform.common.paging.PageRequest;
import dev.feedplatform.liveroombridge.im.ConversationMapper.Listed;
import dev.feedplatform.runtime.ports.UserDirectory;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * The HTTP half of IM (API.md "IM (chat)"): groups, the conversation list, read cursors,
 * history, presence.
 */
@RestController
class ImController {

	record CreateGroup(String name, List<String> members) {
	}

	record AddMember(@JsonProperty("user_id") String userId) {
	}

	record Read(Long seq) {
	}

	private final Groups groups;

	private final ConversationMapper conversations;

	private final MessageMapper messages;

	private final GroupMapper groupRows;

	private final Memberships memberships;

	private final ChatFrames frames;

	private final ChatRouter router;

	private final ImPresence presence;

	private final UserDirectory users;

	ImController(Groups groups, ConversationMapper conversations, MessageMapper messages, GroupMapper groupRows,
			Memberships memberships, ChatFrames frames, ChatRouter router, ImPresence presence, UserDirectory users) {
		this.groups = groups;
		this.conversations = conversations;
		this.messages = messages;
		this.groupRows = groupRows;
		this.memberships = memberships;
		this.frames = frames;
		this.router = router;
		this.presence = presence;
		this.users = users;
	}

	@PostMapping("/api/im/groups")
	@ResponseStatus(HttpStatus.CREATED)
	Map<String, Object> create(@RequestBody CreateGroup request, Viewer viewer) {
		if (request == null) {
			throw Problem.badRequest("a body {\"name\",\"members\":[user ids]} is required");
		}
		List<Long> members = new ArrayList<>();
		for (String member : request.members() == null ? List.<String>of() : request.members()) {
			members.add(Ids.parse(member, "member id"));
		}
		return this.groups.create(viewer.userId(), request.name(), members);
	}

	@GetMapping("/api/im/groups/{id}")
	Map<String, Object> group(@PathVariable String id, Viewer viewer) {
		return this.groups.get(Ids.parse(id, "group id"), viewer.userId());
	}

	@PostMapping("/api/im/groups/{id}/members")
	@ResponseStatus(HttpStatus.NO_CONTENT)
	void add(@PathVariable String id, @RequestBody AddMember request, Viewer viewer) {
		if (request == null || request.userId() == null) {
			throw Problem.badRequest("a body {\"user_id\"} is required");
		}
		this.groups.add(Ids.parse(id, "group id"), viewer.userId(), Ids.parse(request.userId(), "user_id"));
	}

	@DeleteMapping("/api/im/groups/{id}/members/{userId}")
	@ResponseStatus(HttpStatus.NO_CONTENT)
	void remove(@PathVariable String id, @PathVariable String userId, Viewer viewer) {
		this.groups.remove(Ids.parse(id, "group id"), viewer.userId(), Ids.parse(userId, "user id"));
	}

	/**
	 * My conversations, newest activity first; {@code last_id} is the activity id of the
	 * page's last item.
	 */
	@GetMapping("/api/im/conversations")
	Map<String, Object> conversations(@RequestParam(name = "last_id", required = false) String lastId,
			@RequestParam(required = false) String size, Viewer viewer) {
		PageRequest page = PageRequest.of(lastId, size);
		List<Listed> rows = this.conversations.page(viewer.userId(), page.below(), page.size() + 1);
		boolean more = rows.size() > page.size();
		List<Listed> shown = more ? rows.subList(0, page.size()) : rows;
		Map<Long, StoredMessage> last = new HashMap<>();
		List<Long> lastIds = shown.stream().map(Listed::lastMsgId).filter(id -> id > 0).toList();
		if (!lastIds.isEmpty()) {
			this.messages.byIds(lastIds).forEach(m -> last.put(m.msgId(), m));
		}
		List<Map<String, Object>> items = new ArrayList<>();
		for (Listed row : shown) {
			ConversationId conversation = ConversationId.parse(row.conversation());
			Map<String, Object> item = new LinkedHashMap<>();
			item.put("conversation", row.conversation());
			item.put("kind", conversation.group() ? "group" : "direct");
			if (conversation.group()) {
				GroupMapper.Group group = this.groupRows.find(conversation.groupId());
				item.put("group",
						Map.of("id", Long.toString(conversation.groupId()), "name", group == null ? "" : group.name()));
			}
			else {
				long peer = conversation.peerOf(viewer.userId());
				Map<String, Object> who = new LinkedHashMap<>();
				who.put("id", Long.toString(peer));
				who.put("nickname", this.users.user(peer).map(UserDirectory.UserSummary::nickname).orElse(null));
				item.put("peer", who);
			}
			StoredMessage message = last.get(row.lastMsgId());
			item.put("last_message", message == null ? null : this.frames.item(message));
			item.put("max_seq", row.maxSeq());
			item.put("read_seq", row.readSeq());
			item.put("unread", Math.max(0, row.maxSeq() - row.readSeq()));
			items.add(item);
		}
		Map<String, Object> answer = new LinkedHashMap<>();
		answer.put("items", items);
		answer.put("last_id", shown.isEmpty() ? null : Long.toString(shown.get(shown.size() - 1).lastMsgId()));
		answer.put("has_more", more);
		return answer;
	}

	/**
	 * Moves my read cursor (never back, never past the last message) and tells my other
	 * devices.
	 */
	@PostMapping("/api/im/conversations/{id}/read")
	@ResponseStatus(HttpStatus.NO_CONTENT)
	void read(@PathVariable String id, @RequestBody Read request, Viewer viewer) {
		ConversationId conversation = ConversationId.parse(id);
		if (request == null || request.seq() == null || request.seq() < 0) {
			throw Problem.badRequest("a body {\"seq\"} with a non-negative seq is required");
		}
		this.memberships.require(viewer.userId(), conversation);
		if (this.conversations.moveRead(viewer.userId(), conversation.value(), request.seq()) == 0) {
			return; // nothing was ever said here: nothing to read
		}
		Long readSeq = this.conversations.readSeq(viewer.userId(), conversation.value());
		Long maxSeq = this.messages.maxSeq(conversation.value());
		long read = readSeq == null ? 0 : readSeq;
		long unread = Math.max(0, (maxSeq == null ? 0 : maxSeq) - read);
		try {
			this.router.frame(List.of(viewer.userId()), this.frames.read(conversation.value(), read, unread));
		}
		catch (RuntimeException ex) {
			// The cursor moved; other devices see it on their next list or sync.
		}
	}

	@GetMapping("/api/im/conversations/{id}/messages")
	Map<String, Object> messages(@PathVariable String id,
			@RequestParam(name = "after_seq", required = false) String afterSeq,
			@RequestParam(name = "before_seq", required = false) String beforeSeq,
			@RequestParam(required = false) String size, Viewer viewer) {
		ConversationId conversation = ConversationId.parse(id);
		int n = PageRequest.of(null, size).size();
		this.memberships.require(viewer.userId(), conversation);
		Long after = seq(afterSeq, "after_seq");
		Long before = seq(beforeSeq, "before_seq");
		List<StoredMessage> page;
		boolean more;
		if (after != null) {
			page = this.messages.after(conversation.value(), after, before == null ? Long.MAX_VALUE : before, n + 1);
			more = page.size() > n;
			page = more ? page.subList(0, n) : page;
		}
		else {
			List<StoredMessage> newestFirst = this.messages.before(conversation.value(),
					before == null ? Long.MAX_VALUE : before, n + 1);
			more = newestFirst.size() > n;
			page = new ArrayList<>(more ? newestFirst.subList(0, n) : newestFirst);
			java.util.Collections.reverse(page);
		}
		return Map.of("items", page.stream().map(this.frames::item).toList(), "has_more", more);
	}

	@GetMapping("/api/im/presence")
	Map<String, Map<String, Object>> presence(@RequestParam(required = false) String ids, Viewer viewer) {
		if (ids == null || ids.isBlank()) {
			throw Problem.badRequest("ids is required: up to " + ImPresence.MAX_IDS + " user ids, comma-separated");
		}
		List<Long> users = Arrays.stream(ids.split(","))
			.map(String::trim)
			.filter(s -> !s.isEmpty())
			.map(s -> Ids.parse(s, "user id"))
			.distinct()
			.toList();
		if (users.size() > ImPresence.MAX_IDS) {
			throw Problem.badRequest("at most " + ImPresence.MAX_IDS + " ids");
		}
		return this.presence.of(users);
	}

	private static Long seq(String raw, String name) {
		if (raw == null || raw.isBlank()) {
			return null;
		}
		try {
			long value = Long.parseLong(raw.trim());
			if (value >= 0) {
				return value;
			}
		}
		catch (NumberFormatException ex) {
			// answered below
		}
		throw Problem.badRequest(name + " must be a non-negative integer");
	}

}
