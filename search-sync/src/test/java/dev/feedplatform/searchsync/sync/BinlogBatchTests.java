package dev.feedplatform.searchsync.sync;

import com.alibaba.otter.canal.protocol.CanalEntry.Column;
import com.alibaba.otter.canal.protocol.CanalEntry.Entry;
import com.alibaba.otter.canal.protocol.CanalEntry.EntryType;
import com.alibaba.otter.canal.protocol.CanalEntry.EventType;
import com.alibaba.otter.canal.protocol.CanalEntry.Header;
import com.alibaba.otter.canal.protocol.CanalEntry.RowChange;
import com.alibaba.otter.canal.protocol.CanalEntry.RowData;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Which binlog rows touch which post, at which version, built from real Canal protobuf
 * entries: the newest event of a post wins whatever the order, a delete names the post
 * from its before image, other tables and DDL are ignored, and the newest heartbeat is
 * kept.
 */
class BinlogBatchTests {

	private static Entry entry(String table, EventType type, String file, long offset, String key, long... values) {
		RowChange.Builder change = RowChange.newBuilder().setEventType(type);
		for (long value : values) {
			Column column = Column.newBuilder().setName(key).setValue(Long.toString(value)).setIsNull(false).build();
			Column other = Column.newBuilder().setName("title").setValue("t").build();
			RowData.Builder row = RowData.newBuilder();
			if (type == EventType.DELETE) {
				row.addBeforeColumns(column).addBeforeColumns(other);
			}
			else {
				row.addAfterColumns(other).addAfterColumns(column);
			}
			change.addRowDatas(row);
		}
		Header header = Header.newBuilder()
			.setTableName(table)
			.setLogfileName(file)
			.setLogfileOffset(offset)
			.setEventType(type)
			.build();
		return Entry.newBuilder()
			.setEntryType(EntryType.ROWDATA)
			.setHeader(header)
			.setStoreValue(change.build().toByteString())
			.build();
	}

	@Test
	void eachPostKeepsTheVersionOfItsNewestRowEventWhateverTheOrder() {
		BinlogBatch batch = new BinlogBatch();
		batch.add(entry("posts", EventType.UPDATE, "mysql-bin.000002", 900, "id", 7));
		batch.add(entry("posts", EventType.INSERT, "mysql-bin.000002", 100, "id", 7, 8));
		batch.add(entry("post_counters", EventType.UPDATE, "mysql-bin.000001", 5000, "post_id", 8));
		batch.add(entry("post_blacklist", EventType.INSERT, "mysql-bin.000002", 950, "post_id", 9));

		assertThat(batch.versions()).containsOnlyKeys(7L, 8L, 9L);
		assertThat(batch.versions().get(7L)).isEqualTo(BinlogVersion.of("mysql-bin.000002", 900, 0));
		// Row 1 of the insert at 100 is newer than the counters row of the older file.
		assertThat(batch.versions().get(8L)).isEqualTo(BinlogVersion.of("mysql-bin.000002", 100, 1));
		assertThat(batch.versions().get(9L)).isEqualTo(BinlogVersion.of("mysql-bin.000002", 950, 0));
	}

	@Test
	void aDeleteNamesItsPostFromTheRowBeforeIt() {
		BinlogBatch batch = new BinlogBatch();
		assertThat(batch.add(entry("posts", EventType.DELETE, "mysql-bin.000003", 10, "id", 11, 12))).isEqualTo(2);
		assertThat(batch.versions()).containsOnlyKeys(11L, 12L);
	}

	@Test
	void otherTablesAndTransactionMarkersAreIgnored() {
		BinlogBatch batch = new BinlogBatch();
		assertThat(batch.add(entry("follows", EventType.INSERT, "mysql-bin.000003", 10, "id", 1))).isZero();
		Entry begin = Entry.newBuilder()
			.setEntryType(EntryType.TRANSACTIONBEGIN)
			.setHeader(Header.newBuilder().setTableName("posts").build())
			.build();
		assertThat(batch.add(begin)).isZero();
		assertThat(batch.versions()).isEmpty();
		assertThat(batch.heartbeat()).isNull();
	}

	@Test
	void theNewestHeartbeatOfTheBatchIsKeptAndIsNoPost() {
		BinlogBatch batch = new BinlogBatch();
		batch.add(entry("search_heartbeat", EventType.UPDATE, "mysql-bin.000004", 300, "beat_ms", 2_000));
		batch.add(entry("search_heartbeat", EventType.UPDATE, "mysql-bin.000004", 200, "beat_ms", 1_000));
		assertThat(batch.heartbeat())
			.isEqualTo(new BinlogBatch.Heartbeat(BinlogVersion.of("mysql-bin.000004", 300, 0), 2_000));
		assertThat(batch.versions()).isEmpty();
	}

	@Test
	void anUndecodableEntrySaysWhereItIs() {
		Entry broken = Entry.newBuilder()
			.setEntryType(EntryType.ROWDATA)
			.setHeader(Header.newBuilder()
				.setTableName("posts")
				.setLogfileName("mysql-bin.000005")
				.setLogfileOffset(77)
				.build())
			// a truncated varint
			.setStoreValue(com.google.protobuf.ByteString.copyFromUtf8("\u0008\u0096"))
			.build();
		assertThatIllegalStateException().isThrownBy(() -> new BinlogBatch().add(broken))
			.withMessageContaining("mysql-bin.000005:77");
	}

}
