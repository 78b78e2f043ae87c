package dev.sluice.workflows.permits;

/**
 * The workflow IDs of the shared workflows of a key: one per key and kind, started by whoever asks
 * first (keys are checked by the loader: letters, digits, {@code .}, {@code _}, {@code -}).
 */
public final class LimitKeys {
  private LimitKeys() {}

  /** {@code sluice-permits/<key>}: the {@link PermitsWorkflow} of a {@code concurrency} key. */
  public static String permits(String key) {
    return "sluice-permits/" + key;
  }

  /** {@code sluice-budget/<key>}: the {@link BudgetWorkflow} of a {@code budget} key. */
  public static String budget(String key) {
    return "sluice-budget/" + key;
  }
}
