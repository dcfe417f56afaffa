/** Time-ordered ids that are unique across instances and safe as sorted-set scores. */
package dev.feedplatform.common.id;
