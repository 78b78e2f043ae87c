package dev.sluice.sandbox;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The SOQL subset the sandbox understands: {@code SELECT f1, f2 FROM Contact}, optionally {@code
 * WHERE SystemModstamp|CreatedDate >|>= <datetime>}, then optionally {@code AND <the same field>
 * <|<= <datetime>}, optionally an {@code ORDER BY} that is ignored (rows always come in
 * SystemModstamp, then Id, order).
 *
 * @param columns the selected fields, spelled as in the table's {@link ContactData#fields}
 * @param filter the lower bound, if any
 * @param upper the upper bound, if any (on the lower bound's field)
 */
record SoqlQuery(
    String object, List<String> columns, Optional<Filter> filter, Optional<Filter> upper) {

  /** A bound on a timestamp field. */
  record Filter(String field, boolean inclusive, Instant value) {}

  private static final Pattern GRAMMAR =
      Pattern.compile(
          "\\s*SELECT\\s+(?<fields>.+?)\\s+FROM\\s+(?<object>\\w+)"
              + "(?:\\s+WHERE\\s+(?<field>\\w+)\\s*(?<op>>=|>)\\s*(?<value>\\S+)"
              + "(?:\\s+AND\\s+(?<field2>\\w+)\\s*(?<op2><=|<)\\s*(?<value2>\\S+))?)?"
              + "(?:\\s+ORDER\\s+BY\\s+.+?)?\\s*",
          Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
  private static final String SUPPORTED_OBJECT = "Contact";
  private static final List<String> FILTERABLE = List.of("SystemModstamp", "CreatedDate");

  /**
   * Parses {@code soql} against a Contact table with {@code fields} ({@link ContactData#fields}).
   *
   * @throws HttpFailure 400 {@code INVALIDJOB} naming the unsupported object, the unknown field or
   *     the bad literal, worded as Salesforce words it
   */
  static SoqlQuery parse(String soql, List<String> fields) {
    Matcher m = GRAMMAR.matcher(soql);
    if (!m.matches()) {
      throw SalesforceErrors.invalidJob(
          "Malformed or unsupported query; the sandbox supports SELECT <fields> FROM Contact [WHERE"
              + " SystemModstamp|CreatedDate >|>= <datetime> [AND <same field> <|<= <datetime>]] [ORDER"
              + " BY ...], got: "
              + soql);
    }
    if (!m.group("object").equalsIgnoreCase(SUPPORTED_OBJECT)) {
      throw SalesforceErrors.invalidJob(
          "sObject type '"
              + m.group("object")
              + "' is not supported. If you are attempting to use a custom object, be sure to"
              + " append the '__c' after the entity name. Please reference your WSDL or the"
              + " describe call for the appropriate names.");
    }
    List<String> columns = new ArrayList<>();
    for (String field : m.group("fields").split(",")) {
      String column = canonicalField(fields, field.trim());
      if (columns.contains(column)) {
        throw SalesforceErrors.invalidJob("duplicate field selected: " + column);
      }
      columns.add(column);
    }
    Optional<Filter> filter = Optional.empty();
    Optional<Filter> upper = Optional.empty();
    if (m.group("field") != null) {
      filter =
          Optional.of(
              filter(canonicalField(fields, m.group("field")), m.group("op"), m.group("value")));
    }
    if (m.group("field2") != null) {
      String field = canonicalField(fields, m.group("field2"));
      if (!field.equals(filter.get().field())) {
        throw SalesforceErrors.invalidJob(
            "the sandbox bounds one field from both sides; got " + filter.get().field() + " and " + field);
      }
      upper = Optional.of(filter(field, m.group("op2"), m.group("value2")));
    }
    return new SoqlQuery(SUPPORTED_OBJECT, List.copyOf(columns), filter, upper);
  }

  private static Filter filter(String field, String operator, String literal) {
    if (!FILTERABLE.contains(field)) {
      throw SalesforceErrors.invalidJob(
          "the sandbox filters only on " + FILTERABLE + ", not " + field);
    }
    try {
      return new Filter(
          field,
          operator.equals(">=") || operator.equals("<="),
          OffsetDateTime.parse(literal).toInstant());
    } catch (DateTimeParseException e) {
      throw SalesforceErrors.invalidJob(
          "value of filter criterion for field '"
              + field
              + "' must be of type dateTime and should not be enclosed in quotes: "
              + literal);
    }
  }

  private static String canonicalField(List<String> fields, String name) {
    return fields.stream()
        .filter(f -> f.toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT)))
        .findFirst()
        .orElseThrow(
            () ->
                SalesforceErrors.invalidJob(
                    "No such column '"
                        + name
                        + "' on entity 'Contact'. If you are attempting to use a custom field, be"
                        + " sure to append the '__c' after the custom field name. Please reference"
                        + " your WSDL or the describe call for the appropriate names."));
  }
}
