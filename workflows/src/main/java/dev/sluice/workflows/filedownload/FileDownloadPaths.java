package dev.sluice.workflows.filedownload;

/**
 * Where a file download keeps its state beside the landed files, under {@code <path>/_sluice/}
 * (readers skip names starting with an underscore). Plain string work: workflow code calls it.
 */
public final class FileDownloadPaths {
  private FileDownloadPaths() {}

  /** The run's staging list: one JSON line per listed file. */
  public static String listing(String landingUri, String runKey) {
    return stateDir(landingUri) + "/listings/" + runKey + ".jsonl";
  }

  /** The run's directory of partly written files. */
  public static String incoming(String landingUri, String runKey) {
    return stateDir(landingUri) + "/incoming/" + runKey;
  }

  /** The manifest of a landed file: what the source said of it when it landed. */
  public static String landed(String landingUri, String name) {
    return stateDir(landingUri) + "/landed/" + name + ".json";
  }

  /** {@code <path>/_sluice}. */
  public static String stateDir(String landingUri) {
    return trimSlash(landingUri) + "/_sluice";
  }

  /** Where a file named {@code name} (a relative path) lands. */
  public static String target(String landingUri, String name) {
    return trimSlash(landingUri) + "/" + name;
  }

  private static String trimSlash(String p) {
    return p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
  }
}
