package dev.feedplatform.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Live-room fixtures: a room opened through the public API ({@code POST /api/rooms}) by
 * its anchor, with the node's default pools, rate and sampling.
 */
public final class Rooms {

	private Rooms() {
	}

	/**
	 * Opens a room with this title.
	 * @return the room's id (a decimal string, as the API gives it)
	 */
	public static String open(Api api, Users.TestUser anchor, String title) {
		Reply room = api.post("/api/rooms", anchor.token(), "{\"title\":\"" + title + "\"}");
		assertThat(room.status()).as(room.toString()).isEqualTo(201);
		return room.string("$.id");
	}

}
