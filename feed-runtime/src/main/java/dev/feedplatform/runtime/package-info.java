/**
 * Shared runtime adapters (they do I/O, unlike the kernel): auto-configured into every
 * module.
 */
package dev.feedplatform.runtime;
