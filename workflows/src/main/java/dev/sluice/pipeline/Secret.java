package dev.sluice.pipeline;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a component of a pipeline record that holds a secret: it may only be a secret reference
 * ({@code ${env:NAME}}, {@code ${file:/path}}), since the pipeline travels in workflow history.
 * The validator reads it off the records ({@link Components#secretKeys}).
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.RECORD_COMPONENT)
public @interface Secret {}
