/** Accounts and login: phone plus one-time code, tokens, moderators. */
package dev.feedplatform.user.account;
