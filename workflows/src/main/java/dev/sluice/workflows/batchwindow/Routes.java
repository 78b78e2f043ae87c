package dev.sluice.workflows.batchwindow;

import java.util.List;
import java.util.Optional;

/**
 * A routes file: the routes in order; the first whose {@code when} matches a file takes it.
 *
 * @param routes the routes, in file order
 */
public record Routes(List<Route> routes) {
  public Routes {
    routes = routes == null ? List.of() : List.copyOf(routes);
  }

  /** The first route that takes {@code uri}, or empty when none does. */
  public Optional<Route> match(String uri) {
    return routes.stream().filter(r -> r.when().matches(uri)).findFirst();
  }

  /** The route called {@code name}, or empty. */
  public Optional<Route> named(String name) {
    return routes.stream().filter(r -> r.name().equals(name)).findFirst();
  }
}
