package dev.faultline.ast;

import dev.faultline.source.Position;
import java.util.List;
import java.util.Optional;

/** Declarations: the parts of a playbook that name things rather than do things. */
public sealed interface Decl extends Stmt {

  /** {@code description "…"}. */
  record Description(Position at, String text) implements Decl {
    public <R> R accept(Visitor<R> v) { return v.visitDescription(this); }
  }

  /** {@code import "lib/common.fl"}: the library file's functions and lets join this scope. */
  record Import(Position at, String path) implements Decl {
    public <R> R accept(Visitor<R> v) { return v.visitImport(this); }
  }

  /**
   * {@code hook "hooks/flaky.js"}, {@code hook untrusted "x.js"} or {@code hook """ … """}: JavaScript
   * that defines injectors and probes. {@code source} is the path as written for a file, or the
   * text between the triple quotes, verbatim, for an inline hook; {@code sourceAt} is where that
   * string token starts. {@code mode} is "" (the default), "isolated" or "untrusted".
   */
  record Hook(Position at, String mode, String source, boolean isInline, Position sourceAt) implements Decl {
    public static final java.util.List<String> MODES = java.util.List.of("isolated", "untrusted");

    public <R> R accept(Visitor<R> v) { return v.visitHook(this); }
  }

  /** {@code param name[: type] [= default] [secret]}: input set with {@code -p name=value}. */
  record Param(Position at, String name, Optional<TypeName> type, Optional<Expr> byDefault, boolean secret)
      implements Decl {
    public <R> R accept(Visitor<R> v) { return v.visitParam(this); }
  }

  /**
   * {@code profile staging [default] [production] { slo.failover = 30s }}: values chosen by
   * {@code --env}. Each entry's dotted path names a nested map member.
   */
  record Profile(Position at, String name, List<String> flags, List<Entry> entries) implements Decl {
    public Profile { flags = List.copyOf(flags); entries = List.copyOf(entries); }
    public <R> R accept(Visitor<R> v) { return v.visitProfile(this); }

    public boolean isDefault() { return flags.contains("default"); }
    public boolean isProduction() { return flags.contains("production"); }

    public record Entry(Position at, List<String> path, Expr value) implements Node {
      public Entry { path = List.copyOf(path); }
      public String dotted() { return String.join(".", path); }
    }
  }

  /** {@code fn name(a, b = 2s) { … }}. */
  record Fn(Position at, String name, List<Parameter> params, Block body) implements Decl {
    public Fn { params = List.copyOf(params); }
    public <R> R accept(Visitor<R> v) { return v.visitFn(this); }

    public record Parameter(Position at, String name, Optional<Expr> byDefault) implements Node {}
  }

  /** {@code guard "name" every 1s { condition } else abort P1 ["reason"]}. */
  record Guard(Position at, String name, Expr every, Expr condition, Stmt.Abort onBreach) implements Decl {
    public <R> R accept(Visitor<R> v) { return v.visitGuard(this); }
  }

  /** {@code scenario "db.down" tags [smoke, db] { … }}. */
  record Scenario(Position at, String id, List<String> tags, Block body) implements Decl {
    public Scenario { tags = List.copyOf(tags); }
    public <R> R accept(Visitor<R> v) { return v.visitScenario(this); }
  }

  /** {@code step "name" [timeout 30s] { … }}: a unit of a scenario with its own status. */
  record Step(Position at, String name, Optional<Expr> timeout, Block body) implements Decl {
    public <R> R accept(Visitor<R> v) { return v.visitStep(this); }
  }

  /** {@code max_duration 10m}, {@code max_blast_radius 30%}, {@code rollback_strategy always}. */
  record Setting(Position at, String name, Expr value) implements Decl {
    public <R> R accept(Visitor<R> v) { return v.visitSetting(this); }
  }
}
