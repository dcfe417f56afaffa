/** Web plumbing every module's HTTP API shares: problem details and request limits. */
package dev.feedplatform.runtime.web;
