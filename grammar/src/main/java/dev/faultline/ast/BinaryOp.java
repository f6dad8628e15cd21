package dev.faultline.ast;

/** A binary operator, with the symbol the playbook writes. */
public enum BinaryOp {
  ADD("+"), SUB("-"), MUL("*"), DIV("/"),
  EQ("=="), NE("!="), LT("<"), LE("<="), GT(">"), GE(">="),
  AND("and"), OR("or");

  private final String symbol;

  BinaryOp(String symbol) {
    this.symbol = symbol;
  }

  public String symbol() {
    return symbol;
  }

  public boolean isComparison() {
    return this == EQ || this == NE || this == LT || this == LE || this == GT || this == GE;
  }

  public boolean isOrdering() {
    return this == LT || this == LE || this == GT || this == GE;
  }

  public boolean isLogical() {
    return this == AND || this == OR;
  }

  public static BinaryOp bySymbol(String s) {
    for (BinaryOp op : values()) if (op.symbol.equals(s)) return op;
    throw new IllegalArgumentException("no operator " + s);
  }
}
