package dev.faultline.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks the static field or static no-argument method of a test class that gives the
 * {@link dev.faultline.embed.Faultline} interpreter {@link FaultlinePlaybook} tests run with, so
 * that a test suite's own Java injectors and probes are there:
 *
 * <pre>{@code
 * @FaultlineInterpreter
 * static final Faultline FAULTLINE = Faultline.builder().standardLibrary().library(new ShopInjectors()).build();
 * }</pre>
 */
@Target({ElementType.FIELD, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface FaultlineInterpreter {}
