package dev.sluice.activities.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.workflows.activities.FailureType;
import io.temporal.failure.ApplicationFailure;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/** When a result URL expires, as a provider's answer says ({@code expiresAtPointer}). */
final class ExpiryTime {
  private ExpiryTime() {}

  /**
   * The instant {@code value} names: ISO-8601 with an offset ({@code 2021-04-23T19:46:40.349Z},
   * Amazon Ads' {@code urlExpiresAt}) or epoch seconds (a number, or a string of digits).
   *
   * @param value the value at the pointer, or null when absent or null there
   * @return null when {@code value} is null: the expiry is not known
   * @throws ApplicationFailure non-retryable {@link FailureType#ANSWER_VALUE_MISSING} naming the
   *     pointer and the answer for anything else
   */
  static Instant of(JsonNode value, String pointer, String what) {
    if (value == null) {
      return null;
    }
    String text = value.asText().trim();
    try {
      if (value.isIntegralNumber() || text.matches("\\d{1,12}")) {
        return Instant.ofEpochSecond(Long.parseLong(text));
      }
      return OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeParseException | NumberFormatException e) {
      throw ApplicationFailure.newNonRetryableFailure(
          "JSON pointer "
              + pointer
              + " finds '"
              + text
              + "' in "
              + what
              + " (extract.result.expiresAtPointer); expected an ISO-8601 date-time with an offset"
              + " or epoch seconds",
          FailureType.ANSWER_VALUE_MISSING.type());
    }
  }
}
