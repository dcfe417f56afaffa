/** Stateless bearer tokens: issuing and verifying them needs only the shared secret. */
package dev.feedplatform.common.auth;
