package dev.sluice.activities.http;

import java.util.Set;

/**
 * The secret values a request's URL was rendered with, attached to the request as an OkHttp tag so
 * {@link HttpFailures#describe} can show the URL, query included, without them.
 *
 * @param values resolved values of the {@code ${env:…}} / {@code ${file:…}} references in the URL
 *     template
 */
record SecretValues(Set<String> values) {
  SecretValues {
    values = Set.copyOf(values);
  }
}
