/**
 * The error model: problems that become RFC 9457 answers, and input checks that raise
 * them.
 */
package dev.feedplatform.common.error;
