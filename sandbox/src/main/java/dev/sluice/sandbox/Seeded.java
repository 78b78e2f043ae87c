package dev.sluice.sandbox;

/**
 * Deterministic pseudo-random values from a seed and a position (SplitMix64's finaliser): the same
 * seed, row and column give the same value in every run and every emulator instance, so a test can
 * recompute what a provider served without storing it.
 */
final class Seeded {

  private Seeded() {}

  /** A well-mixed 64-bit value of {@code seed} and {@code parts}. */
  static long mix(long seed, long... parts) {
    long x = seed * 0x9E3779B97F4A7C15L;
    for (long part : parts) {
      x = finalise(x ^ (part + 0x9E3779B97F4A7C15L + (x << 6) + (x >>> 2)));
    }
    return finalise(x);
  }

  /** A value in {@code [0, bound)} of {@code seed} and {@code parts}. */
  static int below(int bound, long seed, long... parts) {
    return (int) Math.floorMod(mix(seed, parts), (long) bound);
  }

  private static long finalise(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
