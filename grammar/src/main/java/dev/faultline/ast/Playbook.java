package dev.faultline.ast;

import dev.faultline.source.Position;
import java.util.List;
import java.util.Optional;

/**
 * One parsed {@code .fl} file. A playbook file holds {@code playbook "name" { … }}; a library file
 * (brought in by {@code import}) and REPL input hold bare statements and have no name.
 */
public record Playbook(Position at, String file, Optional<String> name, List<Stmt> body) implements Node {
  public Playbook {
    body = List.copyOf(body);
  }

  public boolean isLibrary() {
    return name.isEmpty();
  }
}
