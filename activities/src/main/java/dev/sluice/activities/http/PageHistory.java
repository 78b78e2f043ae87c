package dev.sluice.activities.http;

import java.util.List;

/**
 * What a resumed extraction must remember of the pages before its checkpoint to notice a loop:
 * fingerprints of the last page URLs read, and of the last page body that had records. Small by
 * design (it travels in every heartbeat): fingerprints, never URLs or data.
 *
 * @param recentUrls fingerprints of the URLs of the last pages read, oldest first, at most {@link
 *     PaginationGuard#REMEMBERED}
 * @param lastBody fingerprint of the last page's body when that page had records, else null
 */
public record PageHistory(List<String> recentUrls, String lastBody) {

  /** Nothing read yet. */
  public static final PageHistory EMPTY = new PageHistory(List.of(), null);

  public PageHistory {
    recentUrls = recentUrls == null ? List.of() : List.copyOf(recentUrls);
  }
}
