package dev.sluice.activities.http;

import dev.sluice.activities.formats.Compression;
import dev.sluice.activities.formats.PageParser;
import okhttp3.Request;

/**
 * What one extraction fetches and how it reads it.
 *
 * @param firstPage the rendered request of the first page (URL and headers); later pages change
 *     only its URL
 * @param pagination how to get from one page to the next
 * @param parser the page parser (one per extraction: it keeps the columns across pages)
 * @param compression how page bodies are compressed
 */
public record ExtractPlan(
    Request firstPage, Pagination pagination, PageParser parser, Compression compression) {}
