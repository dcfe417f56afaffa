package dev.feedplatform.liveroombridge.im;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import dev.feedplatform.common.error.Problem;
import dev.feedplatform.liveroombridge.im.MessageMapper.Bump;
import dev.feedplatform.liveroombridge.im.MessageMapper.Counter;
import dev.feedplatform.liveroombridge.im.MessageMapper.Membership;
import dev.feedplatform.liveroombridge.im.MessageMapper.ReadCursor;
import dev.feedplatform.liveroombridge.im.MessageMapper.SendKey;
import dev.feedplatform.runtime.id.LeasedIdGenerator;
import org.apache.ibatis.session.ExecutorType;
import org.apache.ibatis.session.SqlSessionFactory;
import org.mybatis.spring.SqlSessionTemplate;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Stores a batch of sends in one MariaDB transaction, and is the only writer of messages
 * and of the seq counter. Each conversation's {@code max_seq} moves by the number of its
 * new messages in the same transaction that inserts them, so seq is dense and survives
 * anything that happens to Redis (which holds none of it): a batch that fails takes its
 * numbers with it. WeChat's seqsvr keeps a durable ceiling per block to serve millions of
 * seqs a second from memory; here one counter row per conversation and a batch per
 * transaction are enough (measured in {@code bin/bench im}), and nothing can ever hand
 * out a seq twice.
 *
 * <p>
 * Idempotency: a send's key (sender, device, client seq) is unique in
 * {@code im_messages}. A batch is stored optimistically; when the unique key refuses a
 * repeat (a resend, or another node storing the same key at the same moment), the whole
 * transaction rolls back, seqs included, and runs again looking every key up first: a
 * send already stored is answered with the stored message (same {@code msg_id} and seq)
 * and nothing new. Writes go through MyBatis's batch executor: one JDBC batch per
 * statement and transaction.
 */
@Component
class MessageStore {

	/** A send to store. */
	record Draft(long senderId, String device, long clientSeq, ConversationId conversation, String text, long ts) {

		SendKey key() {
			return new SendKey(this.senderId, this.device, this.clientSeq);
		}

	}

	/**
	 * What became of a draft: stored now or before ({@code repeated}), or refused with a
	 * problem (a non-member).
	 */
	record Outcome(StoredMessage message, boolean repeated, Problem refused) {
	}

	/**
	 * Attempts of one batch: optimistic, then with its keys looked up (twice, for a race
	 * with another node).
	 */
	private static final int ATTEMPTS = 3;

	private final MessageMapper messages;

	private final TransactionTemplate transactions;

	private final LeasedIdGenerator ids;

	MessageStore(SqlSessionFactory sessions, TransactionTemplate transactions, LeasedIdGenerator ids) {
		// Every statement of a store transaction goes through MyBatis's batch executor
		// (one executor
		// type per transaction): the writes queue into JDBC batches, and each read
		// flushes them first.
		// Not a bean: a second SqlSessionTemplate bean would be wired into every other
		// mapper.
		this.messages = new SqlSessionTemplate(sessions, ExecutorType.BATCH).getMapper(MessageMapper.class);
		this.transactions = transactions;
		this.ids = ids;
	}

	/**
	 * One outcome per draft, in order. Throws when the database can't take the batch
	 * (nothing was stored).
	 */
	List<Outcome> store(List<Draft> drafts) {
		RuntimeException last = null;
		for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
			// Optimistic first: a batch rarely holds a repeat, so it is stored without
			// looking its keys
			// up; the unique key catches a repeat, the whole transaction rolls back, and
			// the next
			// attempt looks every key up first.
			boolean lookUp = attempt > 0;
			try {
				return this.transactions.execute(status -> storeOnce(drafts, lookUp));
			}
			catch (RuntimeException ex) {
				if (!retryable(ex)) {
					throw ex;
				}
				last = ex;
			}
		}
		throw new IllegalStateException("a send batch kept colliding on its idempotency keys", last);
	}

	/**
	 * Another node stored one of the batch's keys first (1062, duplicate key), or two
	 * batches deadlocked (1213): the transaction rolled back whole, and running it again
	 * is safe. The batch executor reports these at flush time, wrapped, hence the walk
	 * down the causes.
	 */
	static boolean retryable(Throwable failure) {
		for (Throwable t = failure; t != null; t = t.getCause()) {
			if (t instanceof DuplicateKeyException || t instanceof PessimisticLockingFailureException) {
				return true;
			}
			if (t instanceof SQLException sql && (sql.getErrorCode() == 1062 || sql.getErrorCode() == 1213)) {
				return true;
			}
		}
		return false;
	}

	private List<Outcome> storeOnce(List<Draft> drafts, boolean lookUp) {
		Map<SendKey, StoredMessage> before = new HashMap<>();
		if (lookUp) {
			List<SendKey> keys = drafts.stream().map(Draft::key).distinct().toList();
			this.messages.findSent(keys).forEach(m -> before.put(new SendKey(m.from(), m.device(), m.clientSeq()), m));
		}
		Set<Membership> members = groupMemberships(drafts, before);
		Outcome[] outcomes = new Outcome[drafts.size()];
		Map<SendKey, Integer> firstInBatch = new HashMap<>();
		// by conversation id: the lock order
		Map<String, List<Integer>> fresh = new TreeMap<>();
		for (int i = 0; i < drafts.size(); i++) {
			Draft draft = drafts.get(i);
			StoredMessage stored = before.get(draft.key());
			if (stored != null) {
				outcomes[i] = new Outcome(stored, true, null);
			}
			else if (draft.conversation().group()
					&& !members.contains(new Membership(draft.conversation().groupId(), draft.senderId()))) {
				outcomes[i] = new Outcome(null, false,
						Problem.forbidden("not a member of group " + draft.conversation().groupId()));
			}
			else if (firstInBatch.putIfAbsent(draft.key(), i) == null) {
				fresh.computeIfAbsent(draft.conversation().value(), c -> new ArrayList<>()).add(i);
			}
		}
		if (!fresh.isEmpty()) {
			allocateAndInsert(drafts, fresh, outcomes);
		}
		// A key sent twice in one batch: the second is the first's repeat.
		for (int i = 0; i < drafts.size(); i++) {
			if (outcomes[i] == null) {
				outcomes[i] = new Outcome(outcomes[firstInBatch.get(drafts.get(i).key())].message(), true, null);
			}
		}
		return List.of(outcomes);
	}

	private Set<Membership> groupMemberships(List<Draft> drafts, Map<SendKey, StoredMessage> before) {
		List<Membership> asked = drafts.stream()
			.filter(d -> d.conversation().group() && !before.containsKey(d.key()))
			.map(d -> new Membership(d.conversation().groupId(), d.senderId()))
			.distinct()
			.toList();
		return asked.isEmpty() ? Set.of() : new HashSet<>(this.messages.memberships(asked));
	}

	private void allocateAndInsert(List<Draft> drafts, Map<String, List<Integer>> fresh, Outcome[] outcomes) {
		Map<Integer, Long> msgIds = new HashMap<>();
		List<Bump> bumps = new ArrayList<>();
		fresh.forEach((conversation, indexes) -> {
			long newest = 0;
			for (int i : indexes) {
				long id = this.ids.next();
				msgIds.put(i, id);
				newest = Math.max(newest, id);
			}
			bumps.add(new Bump(conversation, indexes.size(), newest));
		});
		bumps.forEach(this.messages::bump);
		Map<String, Long> maxSeq = new HashMap<>();
		for (Counter counter : this.messages.counters(List.copyOf(fresh.keySet()))) {
			maxSeq.put(counter.conversation(), counter.maxSeq());
		}
		List<StoredMessage> rows = new ArrayList<>();
		Map<String, ReadCursor> cursors = new TreeMap<>();
		fresh.forEach((conversation, indexes) -> {
			long seq = maxSeq.get(conversation) - indexes.size();
			for (int i : indexes) {
				Draft draft = drafts.get(i);
				StoredMessage message = new StoredMessage(msgIds.get(i), conversation, ++seq, draft.senderId(),
						draft.text(), draft.ts(), draft.device(), draft.clientSeq());
				rows.add(message);
				outcomes[i] = new Outcome(message, false, null);
				// The sender has read what they sent; a 1:1 peer gets the conversation
				// listed (nothing read).
				cursors.merge(draft.senderId() + "/" + conversation,
						new ReadCursor(draft.senderId(), conversation, seq),
						(a, b) -> a.readSeq() >= b.readSeq() ? a : b);
				if (!draft.conversation().group()) {
					long peer = draft.conversation().peerOf(draft.senderId());
					cursors.putIfAbsent(peer + "/" + conversation, new ReadCursor(peer, conversation, 0));
				}
			}
		});
		rows.forEach(this.messages::insert);
		List<ReadCursor> ordered = new ArrayList<>(cursors.values());
		ordered.sort((a, b) -> a.userId() != b.userId() ? Long.compare(a.userId(), b.userId())
				: a.conversation().compareTo(b.conversation()));
		ordered.forEach(this.messages::upsertReadCursor);
	}

}
