/** Fixtures shared by every module's integration and end-to-end tests. */
package dev.feedplatform.testsupport;
