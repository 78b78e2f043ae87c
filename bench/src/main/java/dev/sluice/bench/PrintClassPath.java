package dev.sluice.bench;

/** Prints this JVM's class path; {@code snapshot-classpath.sh} copies what it names. */
public final class PrintClassPath {
  private PrintClassPath() {}

  public static void main(String[] args) {
    System.out.println(System.getProperty("java.class.path"));
  }
}
