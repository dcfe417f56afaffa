package dev.feedplatform.user.account;

/** A stored account. */
record Account(long id, String phone, String nickname) {
}
