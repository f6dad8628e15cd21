package dev.faultline.ast;

import dev.faultline.source.Position;

/** Every AST node knows where it came from. */
public interface Node {
  Position at();
}
