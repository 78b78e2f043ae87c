package dev.sluice.activities.iceberg;

import dev.sluice.activities.parquet.Column;
import dev.sluice.activities.parquet.SchemaMismatchException;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.UpdateSchema;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.TypeUtil;
import org.apache.iceberg.types.Types;

/**
 * Brings an Iceberg table's schema to a run's columns, as the Iceberg spec allows: a column (or a
 * struct field) new to the table is added, optional; a type the table's can be promoted to (int to
 * long, float to double, a larger decimal precision) is applied; a type narrower than the table's
 * that Iceberg reads as the table's (a smaller decimal precision) is left; anything else is
 * refused with one line naming the column, the table's type and the run's.
 *
 * <p>Called when a run's schema is fixed, before any of its files opens, and committed at once in
 * its own schema commit, ahead of the data: every change it makes keeps the table's existing files
 * readable (new columns are optional, promotions are read-compatible), so a run that fails after it
 * leaves a table that is only wider, and the files the run writes carry the field IDs of the schema
 * they were written in. Runs widening at once: Iceberg retries the commit against the newer schema,
 * and the second run finds its columns there.
 */
final class SchemaEvolution {
  private SchemaEvolution() {}

  /**
   * Admits {@code columns} into {@code table}'s schema, committing what changes.
   *
   * @return the table's schema afterwards
   * @throws SchemaMismatchException when a column's type cannot become the run's (nothing changed)
   */
  static Schema admit(Table table, List<Column> columns) {
    Schema current = table.schema();
    UpdateSchema update = table.updateSchema();
    boolean changed = false;
    for (Column column : columns) {
      Types.NestedField field = current.findField(column.name());
      Type wanted = IcebergTypes.type(column, new AtomicInteger(1000));
      if (field == null) {
        update.addColumn(column.name(), wanted);
        changed = true;
      } else {
        changed |= reconcile(update, column.name(), field.type(), wanted, table);
      }
    }
    if (changed) {
      update.commit();
      table.refresh();
    }
    return table.schema();
  }

  /** Records in {@code update} what {@code path} needs; whether anything was. */
  private static boolean reconcile(
      UpdateSchema update, String path, Type have, Type wanted, Table table) {
    if (have.equals(wanted)) {
      return false;
    }
    if (have.isStructType() && wanted.isStructType()) {
      boolean changed = false;
      for (Types.NestedField field : wanted.asStructType().fields()) {
        Types.NestedField existing = have.asStructType().field(field.name());
        if (existing == null) {
          update.addColumn(path, field.name(), field.type());
          changed = true;
        } else {
          changed |=
              reconcile(update, path + "." + field.name(), existing.type(), field.type(), table);
        }
      }
      return changed;
    }
    if (have.isListType() && wanted.isListType()) {
      return reconcile(
          update,
          path + ".element",
          have.asListType().elementType(),
          wanted.asListType().elementType(),
          table);
    }
    if (have.isPrimitiveType() && wanted.isPrimitiveType()) {
      if (TypeUtil.isPromotionAllowed(have, wanted.asPrimitiveType())) {
        update.updateColumn(path, wanted.asPrimitiveType());
        return true;
      }
      if (TypeUtil.isPromotionAllowed(wanted, have.asPrimitiveType())) {
        return false; // the table's type is wider: readers promote this run's values
      }
    }
    throw SchemaMismatchException.forTable(
        path,
        "column "
            + path
            + ": the iceberg table "
            + table.name()
            + " has "
            + have
            + ", this run has "
            + wanted
            + "; Iceberg only widens int to long, float to double and a decimal's precision, so"
            + " nothing was written (declare the column as "
            + have
            + " in sink.columns, or write to a new table)");
  }
}
