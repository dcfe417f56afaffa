/** Posts: validation, storage, publishing. */
package dev.feedplatform.publish.post;
