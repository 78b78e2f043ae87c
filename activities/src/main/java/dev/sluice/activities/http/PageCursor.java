package dev.sluice.activities.http;

/**
 * Where a page is, in the terms of the source's pagination: what a retried extraction needs to
 * fetch the same page again. Holds provider-issued locators only, never credentials.
 *
 * @param token header locator, cursor, or absolute next-page URL; null for the first page
 * @param number page number (page style) or record offset (offset style); otherwise the count of
 *     pages before this one
 */
public record PageCursor(String token, long number) {}
