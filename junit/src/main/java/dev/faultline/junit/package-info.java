/**
 * Faultline in JUnit 5 test suites.
 *
 * <p>Two ways in: {@link dev.faultline.junit.FaultlinePlaybook} on a method runs a playbook as
 * tests, one per scenario (its interpreter, with the suite's own injectors, given by a
 * {@link dev.faultline.junit.FaultlineInterpreter} field or method); and
 * {@link dev.faultline.junit.FaultlineExtension}, registered with {@code @RegisterExtension}, wraps a
 * test's own code in faults with {@code during(...)}. Either way every fault is reverted when the test
 * ends, also when it fails or times out. The rest of the package is the machinery behind the
 * annotation ({@code PlaybookScenarios}, {@code ScenarioRun}) and the host function through which a
 * step calls back into the test ({@link dev.faultline.junit.TestBody}). docs/embedding.md has a
 * sample project.
 */
package dev.faultline.junit;
