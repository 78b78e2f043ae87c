package dev.sluice.pipeline;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a component of a pipeline record that Sluice sets itself while it runs (a work unit's scope
 * of the sink's table) and that a pipeline file never holds: it crosses workflow history with the
 * record, but it is no key of the schema or the reference ({@link Components#keys} leaves it out).
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.RECORD_COMPONENT)
public @interface Internal {}
