package dev.sluice.activities.iceberg;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.iceberg.HasTableOperations;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableOperations;
import org.apache.iceberg.hadoop.HadoopTableOperations;
import org.apache.iceberg.io.InputFile;

/**
 * The Hadoop catalog's {@code metadata/version-hint.text}: the number of the table's current
 * metadata file, which readers other than Iceberg's Java library (pyiceberg, DuckDB) open the table
 * by. Iceberg writes it after the rename that commits; a worker killed between the two leaves it
 * one version behind. Iceberg's own reader looks past a stale hint; the others would show the table
 * without that commit. A retried publish that finds its commit already made repairs the hint.
 */
final class VersionHint {
  private static final Pattern VERSION = Pattern.compile("v(\\d+)\\.metadata\\.json$");

  private VersionHint() {}

  /** Points the hint of a Hadoop-catalog table at its current metadata; other tables untouched. */
  static void repair(Table table) {
    if (!(table instanceof HasTableOperations has)) {
      return;
    }
    TableOperations ops = has.operations();
    if (!(ops instanceof HadoopTableOperations) || ops.current() == null) {
      return;
    }
    Matcher m = VERSION.matcher(ops.current().metadataFileLocation());
    if (!m.find()) {
      return;
    }
    String current = m.group(1);
    String hint = ops.metadataFileLocation("version-hint.text");
    if (current.equals(read(table.io().newInputFile(hint)))) {
      return;
    }
    try (OutputStream out = table.io().newOutputFile(hint).createOrOverwrite()) {
      out.write(current.getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot rewrite " + hint, e);
    }
  }

  private static String read(InputFile file) {
    if (!file.exists()) {
      return null;
    }
    try (InputStream in = file.newStream()) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
    } catch (IOException e) {
      return null;
    }
  }
}
