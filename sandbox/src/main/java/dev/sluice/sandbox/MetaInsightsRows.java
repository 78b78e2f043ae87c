package dev.sluice.sandbox;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The insights of an ad account: per campaign and day, impressions, clicks and spend derived only
 * from the seed, the account, the campaign and the date, so a date range split into halves returns
 * exactly the rows of the whole range, day by day ({@code time_increment=1}).
 *
 * @param campaigns campaigns of the account, numbered from 1
 */
record MetaInsightsRows(long seed, String accountId, int campaigns) {

  /** Metrics a request may name in {@code fields}, besides {@code date_start}/{@code date_stop}. */
  static final Set<String> FIELDS =
      Set.of("account_id", "campaign_id", "campaign_name", "impressions", "clicks", "spend");

  /** One row's numbers. */
  record Metrics(long impressions, long clicks, long spendCents) {
    Metrics plus(Metrics other) {
      return new Metrics(
          impressions + other.impressions, clicks + other.clicks, spendCents + other.spendCents);
    }
  }

  /** The metrics of campaign {@code campaign} (from 1) on {@code day}. */
  Metrics metrics(int campaign, LocalDate day) {
    long impressions =
        1_000 + Seeded.below(50_000, seed, accountId.hashCode(), campaign, day.toEpochDay());
    long clicks = impressions * (1 + Seeded.below(40, seed, campaign, day.toEpochDay(), 1)) / 1_000;
    long spend =
        impressions * (50 + Seeded.below(500, seed, campaign, day.toEpochDay(), 2)) / 1_000;
    return new Metrics(impressions, clicks, spend);
  }

  static String campaignId(int campaign) {
    return Long.toString(23_850_000_000_000L + campaign);
  }

  /**
   * The rows of {@code since}..{@code until} (inclusive) at {@code level} ({@code account} or
   * {@code campaign}), one per day when {@code daily}, else one over the whole range, with the
   * requested fields (all when empty).
   */
  List<ObjectNode> rows(
      LocalDate since, LocalDate until, boolean campaignLevel, boolean daily, Set<String> fields) {
    List<ObjectNode> rows = new ArrayList<>();
    List<LocalDate[]> periods = new ArrayList<>();
    if (daily) {
      for (LocalDate day = since; !day.isAfter(until); day = day.plusDays(1)) {
        periods.add(new LocalDate[] {day, day});
      }
    } else {
      periods.add(new LocalDate[] {since, until});
    }
    for (LocalDate[] period : periods) {
      if (campaignLevel) {
        for (int c = 1; c <= campaigns; c++) {
          rows.add(row(period, c, sum(period, c, c), fields));
        }
      } else {
        rows.add(row(period, 0, sum(period, 1, campaigns), fields));
      }
    }
    return rows;
  }

  private Metrics sum(LocalDate[] period, int fromCampaign, int toCampaign) {
    Metrics total = new Metrics(0, 0, 0);
    for (LocalDate day = period[0]; !day.isAfter(period[1]); day = day.plusDays(1)) {
      for (int c = fromCampaign; c <= toCampaign; c++) {
        total = total.plus(metrics(c, day));
      }
    }
    return total;
  }

  /** Graph API numbers arrive as strings, as Meta sends them. */
  private ObjectNode row(LocalDate[] period, int campaign, Metrics m, Set<String> fields) {
    ObjectNode row = Json.object();
    put(row, fields, "account_id", accountId);
    if (campaign > 0) {
      put(row, fields, "campaign_id", campaignId(campaign));
      put(row, fields, "campaign_name", "Campaign " + campaign);
    }
    put(row, fields, "impressions", Long.toString(m.impressions()));
    put(row, fields, "clicks", Long.toString(m.clicks()));
    put(
        row,
        fields,
        "spend",
        m.spendCents() / 100 + "." + String.format("%02d", m.spendCents() % 100));
    return row.put("date_start", period[0].toString()).put("date_stop", period[1].toString());
  }

  private static void put(ObjectNode row, Set<String> fields, String name, String value) {
    if (fields.isEmpty() || fields.contains(name)) {
      row.put(name, value);
    }
  }
}
