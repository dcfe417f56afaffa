/** {@code last_id} cursor paging shared by every list endpoint. */
package dev.feedplatform.common.paging;
