package dev.feedplatform.searchsync.sync;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.alibaba.otter.canal.protocol.CanalEntry.Column;
import com.alibaba.otter.canal.protocol.CanalEntry.Entry;
import com.alibaba.otter.canal.protocol.CanalEntry.EntryType;
import com.alibaba.otter.canal.protocol.CanalEntry.EventType;
import com.alibaba.otter.canal.protocol.CanalEntry.RowChange;
import com.alibaba.otter.canal.protocol.CanalEntry.RowData;

/**
 * What one Canal batch asks of the index: the posts whose document may have changed, each
 * with the binlog position ({@link BinlogVersion}) of its newest row event, and the
 * newest lag heartbeat. A row of {@code posts}, {@code post_counters} or
 * {@code post_blacklist} names its post; {@code search_heartbeat} rows are heartbeats;
 * every other table is ignored.
 */
final class BinlogBatch {

	/**
	 * The newest heartbeat row of a batch: its binlog position and the wall clock it was
	 * written at (ms).
	 */
	record Heartbeat(long version, long beatMs) {
	}

	private final Map<Long, Long> versions = new HashMap<>();

	private Heartbeat heartbeat;

	/** Post id → the binlog position of its newest row event in the batch. */
	Map<Long, Long> versions() {
		return this.versions;
	}

	/** The batch's newest heartbeat, or null when it had none. */
	Heartbeat heartbeat() {
		return this.heartbeat;
	}

	/**
	 * Takes in one binlog entry.
	 * @return how many row events it carried for the tables above
	 * @throws IllegalStateException when the entry can't be decoded
	 */
	int add(Entry entry) {
		if (entry.getEntryType() != EntryType.ROWDATA) {
			return 0;
		}
		String table = entry.getHeader().getTableName();
		String key = switch (table) {
			case "posts" -> "id";
			case "post_counters", "post_blacklist" -> "post_id";
			case "search_heartbeat" -> "beat_ms";
			default -> null;
		};
		if (key == null) {
			return 0;
		}
		RowChange change;
		try {
			change = RowChange.parseFrom(entry.getStoreValue());
		}
		catch (Exception ex) {
			throw new IllegalStateException("undecodable binlog entry at " + entry.getHeader().getLogfileName() + ":"
					+ entry.getHeader().getLogfileOffset(), ex);
		}
		if (change.getIsDdl()) {
			return 0;
		}
		List<RowData> rowList = change.getRowDatasList();
		for (int row = 0; row < rowList.size(); row++) {
			RowData data = rowList.get(row);
			List<Column> columns = change.getEventType() == EventType.DELETE ? data.getBeforeColumnsList()
					: data.getAfterColumnsList();
			long version = BinlogVersion.of(entry.getHeader().getLogfileName(), entry.getHeader().getLogfileOffset(),
					row);
			for (Column column : columns) {
				if (column.getName().equals(key) && !column.getIsNull()) {
					long value = Long.parseLong(column.getValue());
					if (table.equals("search_heartbeat")) {
						if (this.heartbeat == null || version > this.heartbeat.version()) {
							this.heartbeat = new Heartbeat(version, value);
						}
					}
					else {
						this.versions.merge(value, version, Math::max);
					}
				}
			}
		}
		return rowList.size();
	}

}
