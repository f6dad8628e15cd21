package dev.faultline.ast;

import dev.faultline.source.Position;
import java.util.List;

/** A braced list of statements; a new lexical scope at run time. */
public record Block(Position at, List<Stmt> stmts) implements Node {
  public Block {
    stmts = List.copyOf(stmts);
  }
}
