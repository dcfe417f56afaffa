package dev.feedplatform.liveroombridge.gateway;

import java.util.regex.Pattern;

/**
 * The handshake's {@code &device=} (API.md "IM (chat)"): 1–64 characters of
 * {@code [A-Za-z0-9_-]}.
 */
final class DeviceIds {

	static final String RULE = "device must be 1 to 64 characters of A-Z, a-z, 0-9, '_' or '-'";

	private static final Pattern VALID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

	private DeviceIds() {
	}

	static boolean valid(String device) {
		return VALID.matcher(device).matches();
	}

}
