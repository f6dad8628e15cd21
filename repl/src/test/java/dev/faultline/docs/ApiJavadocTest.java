package dev.faultline.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.tools.DocumentationTool;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;

/**
 * The public API's Javadoc is complete and well-formed: the JDK's javadoc tool, with every doclint
 * check on ({@code -Xdoclint:all}: missing comments, {@code @param}, {@code @return} and
 * {@code @throws}, broken references, bad HTML), runs over the packages a user of the artifacts
 * touches and must report nothing.
 *
 * <p>Rationale: the build runs offline and the maven-javadoc-plugin is not among the plugins it has,
 * so the check runs the tool that ships with the JDK. The packages are given as source files and
 * the rest of the project comes from the class path, so only the API is held to the rule.
 */
class ApiJavadocTest {
  static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

  /** The embedding API and the SPIs: what an application, a library of host functions or a test suite uses. */
  static final List<String> API = List.of(
      "interpreter/src/main/java/dev/faultline/embed",
      "interpreter/src/main/java/dev/faultline/embed/script",
      "interpreter/src/main/java/dev/faultline/host",
      "interpreter/src/main/java/dev/faultline/fault",
      "interpreter/src/main/java/dev/faultline/report",
      "interpreter/src/main/java/dev/faultline/run",
      "interpreter/src/main/java/dev/faultline/value",
      "junit/src/main/java/dev/faultline/junit",
      "metrics/src/main/java/dev/faultline/metrics");

  /** The HTML is kept where a build's outputs go, to be browsed: {@code repl/target/apidocs/index.html}. */
  static final Path OUT = Path.of("target", "apidocs").toAbsolutePath();

  @Test
  void everyPublicTypeAndMemberOfTheApiIsDocumented() throws IOException {
    Files.createDirectories(OUT);
    List<Path> sources = new ArrayList<>();
    for (String dir : API) {
      Path d = ROOT.resolve(dir);
      assertTrue(Files.isRegularFile(d.resolve("package-info.java")), "no package-info.java in " + dir);
      try (Stream<Path> files = Files.list(d)) {
        files.filter(f -> f.toString().endsWith(".java")).sorted().forEach(sources::add);
      }
    }
    DocumentationTool javadoc = ToolProvider.getSystemDocumentationTool();
    assertNotNull(javadoc, "the JDK's javadoc tool (module jdk.javadoc) is needed");
    StringWriter messages = new StringWriter();
    boolean ok;
    try (StandardJavaFileManager files = javadoc.getStandardFileManager(null, null, java.nio.charset.StandardCharsets.UTF_8)) {
      Iterable<? extends JavaFileObject> units = files.getJavaFileObjectsFromPaths(sources);
      List<String> options = List.of("-Xdoclint:all", "-Xmaxwarns", "100000", "-Xmaxerrs", "100000", "-quiet",
          "-encoding", "UTF-8", "-d", OUT.toString(), "-cp", System.getProperty("java.class.path"));
      ok = javadoc.getTask(messages, files, null, null, options, units).call();
    }
    List<String> problems = messages.toString().lines()
        .filter(l -> l.contains(": warning:") || l.contains(": error:") || l.startsWith("error:"))
        .map(l -> l.replace(ROOT + "/", ""))
        .toList();
    assertEquals(List.of(), problems, "javadoc -Xdoclint:all over the API:\n" + messages);
    assertTrue(ok, messages.toString());
  }
}
