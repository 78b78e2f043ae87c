package dev.sluice.pipeline;

import java.util.List;

/**
 * A pipeline component chosen by its {@code type} (an auth type, a pagination style, a page
 * format): one record per type, named by {@code @JsonTypeName}, its needed keys marked {@link
 * Required}.
 */
public interface TypedComponent {

  /** The {@link Required} keys left empty: a definition that skipped validation. */
  default List<String> missing() {
    return Components.missing((Record) this);
  }

  /** The {@code type} this is written with. */
  default String typeName() {
    return Components.typeName(this);
  }
}
