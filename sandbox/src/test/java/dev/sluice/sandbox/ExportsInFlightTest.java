package dev.sluice.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The generic API's count of exports in flight (queued or running) and its high-water mark. */
class ExportsInFlightTest {
  @Test
  void givenExportsCreatedAndFinished_whenCounted_thenTheMostAtOnceIsKept() {
    ExportStore store = new ExportStore();
    Export first = store.create(null, null);
    store.create(null, null);
    first.poll(1, null);
    store.create(null, null);
    store.create(null, "same");
    store.create(null, "same");

    assertThat(store.inFlight()).as("the ready one is done; a repeated key is one").isEqualTo(3);
    assertThat(store.maxInFlight()).isEqualTo(3);
    store.all().forEach(e -> e.poll(1, "boom"));
    assertThat(store.inFlight()).isZero();
    assertThat(store.maxInFlight()).isEqualTo(3);
    store.clear();
    assertThat(store.maxInFlight()).isZero();
  }
}
