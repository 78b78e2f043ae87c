package dev.sluice.workflows.batchwindow;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.regex.Pattern;

/**
 * Which arriving files a route takes: every condition given must hold. At least one is required
 * (the routes loader checks it).
 *
 * @param prefix the file's URI starts with this, e.g. {@code file:///landing/orders/}
 * @param suffix the file's URI ends with this, e.g. {@code .csv}
 * @param pattern a regular expression the whole URI must match ({@link Pattern#matches}), e.g.
 *     {@code file:.+orders-[0-9]{8}[.]csv}
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record RouteMatch(String prefix, String suffix, String pattern) {

  /** Whether {@code uri} meets every condition given. */
  public boolean matches(String uri) {
    if (prefix != null && !uri.startsWith(prefix)) {
      return false;
    }
    if (suffix != null && !uri.endsWith(suffix)) {
      return false;
    }
    return pattern == null || Pattern.compile(pattern).matcher(uri).matches();
  }
}
