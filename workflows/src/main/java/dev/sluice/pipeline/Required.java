package dev.sluice.pipeline;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a component of a pipeline record that its type cannot do without. The schema's {@code
 * required} lists of that type agree with it (a starter test checks), and the runtime factory that
 * runs the record refuses it while {@link Components#missing} names any.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.RECORD_COMPONENT)
public @interface Required {}
