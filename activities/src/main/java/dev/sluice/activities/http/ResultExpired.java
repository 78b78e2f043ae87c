package dev.sluice.activities.http;

/**
 * A result URL answered that it has expired ({@code extract.result.expiredWhen}): a fresh one may
 * succeed. Thrown by {@link PageFetcher}, handled by {@link PagedExtractor}.
 */
final class ResultExpired extends RuntimeException {
  ResultExpired(String message) {
    super(message, null, false, false);
  }
}
