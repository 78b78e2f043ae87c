package dev.sluice.pipeline;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.List;

/**
 * The table a run lands in, as staging and publishing see it: a folder of Parquet files ({@link
 * ParquetSink}) or an Apache Iceberg table ({@link IcebergSink}). It crosses workflow history in
 * activity messages; JSON recorded when messages carried a {@code ParquetSink} (with or without
 * its {@code type}) still reads as one. The activities choose the table format by its type in one
 * place (the worker's table formats), never here.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type", defaultImpl = ParquetSink.class)
@JsonSubTypes({
  @JsonSubTypes.Type(value = ParquetSink.class, name = "parquet"),
  @JsonSubTypes.Type(value = IcebergSink.class, name = "iceberg")
})
public sealed interface LakeTable permits ParquetSink, IcebergSink {

  /**
   * The table's directory: Parquet files (a parquet table) or the Iceberg table's location; Sluice
   * keeps its state beside the table under {@code <path>/_sluice/} (leases, staging).
   */
  String path();

  /** How a run's files replace the table's: {@code append}, {@code snapshot}, ... */
  String mode();

  /** Parquet compression codec of the staged files. */
  String compression();

  /** Roll to a new staged file past this size. */
  String targetFileSize();

  /** Declared columns; the others are inferred from the data. */
  List<ColumnSpec> columns();

  /** How many leading rows type inference looks at. */
  Integer inferRows();

  /**
   * Where a run stages its files before the publish: beside the table under {@code _sluice/} for a
   * Parquet table, inside an Iceberg table's data folder (files stay where they are written).
   */
  String stagingDir(String runKey);

  /**
   * Sluice's own files of the table (window leases, receipts): {@code <path>/_sluice}, or a work
   * unit's part of it when several units share the table.
   */
  @JsonIgnore
  default String stateDir() {
    String table = path();
    return (table.endsWith("/") ? table.substring(0, table.length() - 1) : table) + "/_sluice";
  }

  /**
   * The table as one work unit writes it: its own Hive-style partition {@code partitionPath} ({@code
   * <path>/<column>=<escaped value>}) for a Parquet folder; for an Iceberg table the same table,
   * its rows, commits, watermark and leases scoped to the unit.
   */
  LakeTable forUnit(String column, String value, String partitionPath);

  /** The same table written in another {@link #mode()}. */
  LakeTable withMode(String newMode);

  /** The same table at another path (a relative path resolved, a unit's partition). */
  LakeTable withPath(String newPath);
}
