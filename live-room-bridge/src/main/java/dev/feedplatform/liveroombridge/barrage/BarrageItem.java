package dev.feedplatform.liveroombridge.barrage;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/** One barrage as viewers get it (API.md {@code barrage} frame), plus its id. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BarrageItem(String type, String id, String room, String from, String text, long ts,
		@JsonProperty("offset_ms") Long offsetMs) {

	static BarrageItem of(long id, long room, long from, String text, long ts, Long offsetMs) {
		return new BarrageItem("barrage", Long.toString(id), Long.toString(room), Long.toString(from), text, ts,
				offsetMs);
	}

	long roomId() {
		return Long.parseLong(this.room);
	}

}
