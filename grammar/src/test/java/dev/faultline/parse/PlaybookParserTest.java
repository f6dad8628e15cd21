package dev.faultline.parse;

import static dev.faultline.parse.Parsing.at;
import static dev.faultline.parse.Parsing.parse;
import static dev.faultline.parse.Parsing.sexpr;
import static dev.faultline.parse.Parsing.stmt;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.faultline.ast.Decl;
import dev.faultline.ast.Playbook;
import dev.faultline.ast.Stmt;
import dev.faultline.ast.TypeName;
import dev.faultline.source.PlaybookError;
import dev.faultline.source.SourceFile;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PlaybookParserTest {

  @Test
  void emptyFileIsAnEmptyLibrary() {
    for (String text : List.of("", "   \n\n", "# only a comment\n", ";;")) {
      Playbook p = parse(text);
      assertTrue(p.isLibrary(), text);
      assertEquals(List.of(), p.body(), text);
      assertEquals(at(1, 1, 1), p.at());
    }
  }

  @Test
  void playbookHasANameAndABody() {
    Playbook p = parse("# leading comment\nplaybook \"checkout\" {\n  log \"hi\"\n}\n");
    assertEquals(Optional.of("checkout"), p.name());
    assertFalse(p.isLibrary());
    assertEquals("t.fl", p.file());
    assertEquals(2, p.at().line());
    assertEquals(1, p.at().column());
    assertEquals(at(3, 3, 8), p.body().get(0).at());
  }

  @Test
  void libraryFileHoldsBareStatements() {
    Playbook p = parse("fn double(x) { return x * 2 }\nlet limit = 5s\n");
    assertTrue(p.isLibrary());
    assertEquals(2, p.body().size());
    assertInstanceOf(Decl.Fn.class, p.body().get(0));
    assertEquals(at(2, 1, 14), p.body().get(1).at());
  }

  @Test
  void descriptionAndImport() {
    Decl.Description d = assertInstanceOf(Decl.Description.class, stmt("description \"\"\"\n  Slow primary.\n  \"\"\""));
    assertEquals("Slow primary.\n", d.text());
    Decl.Import i = assertInstanceOf(Decl.Import.class, stmt("import \"lib/common.fl\""));
    assertEquals("lib/common.fl", i.path());
    assertEquals(at(1, 1, 22), i.at());
  }

  @Test
  void hookFromAFileInlineAndWithAMode() {
    Decl.Hook file = assertInstanceOf(Decl.Hook.class, stmt("hook \"hooks/x.js\""));
    assertEquals("hooks/x.js", file.source());
    assertEquals("", file.mode());
    assertEquals(false, file.isInline());
    assertEquals(at(1, 6, 12), file.sourceAt());
    Decl.Hook inline = assertInstanceOf(Decl.Hook.class, stmt("hook \"\"\"\n  let t = `${a}\\n`;\n\"\"\""));
    assertEquals("\n  let t = `${a}\\n`;\n", inline.source(), "verbatim: no escapes, no interpolation");
    assertEquals(true, inline.isInline());
    Decl.Hook untrusted = assertInstanceOf(Decl.Hook.class, stmt("hook untrusted \"x.js\""));
    assertEquals("untrusted", untrusted.mode());
  }

  @Test
  void paramWithTypeDefaultAndSecret() {
    Decl.Param full = assertInstanceOf(Decl.Param.class, stmt("param pg_port: int = 5432"));
    assertEquals("pg_port", full.name());
    assertEquals(Optional.of(TypeName.INT), full.type());
    assertEquals("5432", sexpr(full.byDefault().orElseThrow()));
    assertFalse(full.secret());

    Decl.Param secret = assertInstanceOf(Decl.Param.class, stmt("param token: string secret"));
    assertEquals(Optional.empty(), secret.byDefault());
    assertTrue(secret.secret());

    Decl.Param both = assertInstanceOf(Decl.Param.class, stmt("param token = \"x\" secret"));
    assertEquals(Optional.empty(), both.type());
    assertTrue(both.secret());

    Decl.Param bare = assertInstanceOf(Decl.Param.class, stmt("param host"));
    assertEquals(Optional.empty(), bare.type());
    assertEquals(Optional.empty(), bare.byDefault());

    for (TypeName t : TypeName.values()) {
      Decl.Param p = assertInstanceOf(Decl.Param.class, stmt("param x: " + t.word()));
      assertEquals(Optional.of(t), p.type());
    }
  }

  @Test
  void profileWithFlagsAndDottedEntries() {
    Decl.Profile p = assertInstanceOf(Decl.Profile.class, stmt("""
        profile staging default production {
          slo.failover = 30s
          db.pool.size = 20; retries = 3
          traffic.for.all = 1
        }"""));
    assertEquals("staging", p.name());
    assertEquals(List.of("default", "production"), p.flags());
    assertTrue(p.isDefault());
    assertTrue(p.isProduction());
    assertEquals(List.of("slo.failover", "db.pool.size", "retries", "traffic.for.all"),
        p.entries().stream().map(Decl.Profile.Entry::dotted).toList());
    assertEquals(List.of("db", "pool", "size"), p.entries().get(1).path());
    assertEquals(at(3, 3, 17), p.entries().get(1).at());
    assertEquals("30s", sexpr(p.entries().get(0).value()));

    Decl.Profile plain = assertInstanceOf(Decl.Profile.class, stmt("profile dev {}"));
    assertEquals(List.of(), plain.flags());
    assertFalse(plain.isDefault());
    assertEquals(List.of(), plain.entries());
  }

  @Test
  void fnWithDefaults() {
    Decl.Fn f = assertInstanceOf(Decl.Fn.class, stmt("fn ratio(a, b = 1, c = 2s,) {\n  return a / b\n}"));
    assertEquals("ratio", f.name());
    assertEquals(List.of("a", "b", "c"), f.params().stream().map(Decl.Fn.Parameter::name).toList());
    assertEquals(Optional.empty(), f.params().get(0).byDefault());
    assertEquals("1", sexpr(f.params().get(1).byDefault().orElseThrow()));
    assertEquals(at(1, 13, 5), f.params().get(1).at());
    Stmt.Return r = assertInstanceOf(Stmt.Return.class, f.body().stmts().get(0));
    assertEquals("(/ a b)", sexpr(r.value().orElseThrow()));
    assertEquals(at(2, 3, 12), r.at());

    assertEquals(List.of(), assertInstanceOf(Decl.Fn.class, stmt("fn f() {}")).params());
  }

  @Test
  void guard() {
    Decl.Guard g = assertInstanceOf(Decl.Guard.class,
        stmt("guard \"errors\" every 1s { traffic.error_rate < 5% } else abort P1 \"budget spent\""));
    assertEquals("errors", g.name());
    assertEquals("1s", sexpr(g.every()));
    assertEquals("(< (. traffic error_rate) 5%)", sexpr(g.condition()));
    assertEquals("P1", sexpr(g.onBreach().severity()));
    assertEquals("\"budget spent\"", sexpr(g.onBreach().reason().orElseThrow()));
    assertEquals(at(1, 58, 23), g.onBreach().at());
  }

  @Test
  void scenarioWithTags() {
    Decl.Scenario s = assertInstanceOf(Decl.Scenario.class,
        stmt("scenario \"db.down\" tags [smoke, db, \"nightly run\", all,] { }"));
    assertEquals("db.down", s.id());
    assertEquals(List.of("smoke", "db", "nightly run", "all"), s.tags());
    assertEquals(List.of(), s.body().stmts());
    assertEquals(List.of(), assertInstanceOf(Decl.Scenario.class, stmt("scenario \"a\" {}")).tags());
    assertEquals(List.of(), assertInstanceOf(Decl.Scenario.class, stmt("scenario \"a\" tags [] {}")).tags());
  }

  @Test
  void stepWithAndWithoutTimeout() {
    Decl.Step s = assertInstanceOf(Decl.Step.class, stmt("step \"stop primary\" timeout 2min { wait 1s }"));
    assertEquals("stop primary", s.name());
    assertEquals("2m", sexpr(s.timeout().orElseThrow()));
    assertEquals(1, s.body().stmts().size());
    assertEquals(at(1, 34, 11), s.body().at());
    assertEquals(Optional.empty(), assertInstanceOf(Decl.Step.class, stmt("step \"x\" {}")).timeout());
  }

  @Test
  void settings() {
    Playbook p = parse("max_duration 10m\nmax_blast_radius 30%\nrollback_strategy always\n");
    List<String> names = p.body().stream().map(s -> assertInstanceOf(Decl.Setting.class, s).name()).toList();
    assertEquals(List.of("max_duration", "max_blast_radius", "rollback_strategy"), names);
    assertEquals("always", sexpr(((Decl.Setting) p.body().get(2)).value()));
    assertEquals(at(2, 1, 20), p.body().get(1).at());
  }

  @Test
  void letAndAssign() {
    Stmt.Let let = assertInstanceOf(Stmt.Let.class, stmt("let link = proxy(listen: \"127.0.0.1:0\")"));
    assertEquals("link", let.name());
    assertEquals("(call proxy listen: \"127.0.0.1:0\")", sexpr(let.value()));
    Stmt.Assign assign = assertInstanceOf(Stmt.Assign.class, stmt("count = count + 1"));
    assertEquals("count", assign.name());
    assertEquals("(+ count 1)", sexpr(assign.value()));
    assertEquals(at(1, 1, 17), assign.at());
  }

  @Test
  void ifElseIfElse() {
    Stmt.If s = assertInstanceOf(Stmt.If.class, stmt("""
        if t > 20s {
          abort P2 "too slow"
        } else if t > 10s {
          log "slow"
        } else {
          log "fast"
        }"""));
    assertEquals("(> t 20s)", sexpr(s.condition()));
    assertEquals(at(1, 1, 12), s.at());
    Stmt.If elseIf = assertInstanceOf(Stmt.If.class, s.orElse().orElseThrow());
    assertEquals(at(3, 8, 12), elseIf.at());
    assertEquals("(> t 10s)", sexpr(elseIf.condition()));
    Stmt.Nested last = assertInstanceOf(Stmt.Nested.class, elseIf.orElse().orElseThrow());
    assertEquals(at(5, 8, 1), last.at());
    assertInstanceOf(Stmt.Log.class, last.block().stmts().get(0));

    assertEquals(Optional.empty(), assertInstanceOf(Stmt.If.class, stmt("if ok {}")).orElse());
  }

  @Test
  void forAndRepeat() {
    Stmt.For f = assertInstanceOf(Stmt.For.class, stmt("for host in [a, \"b\"] { wait 1s }"));
    assertEquals("host", f.variable());
    assertEquals("[a \"b\"]", sexpr(f.iterable()));
    assertEquals(1, f.body().stmts().size());
    Stmt.Repeat r = assertInstanceOf(Stmt.Repeat.class, stmt("repeat 3 { traffic(for: 5s, rate: 50/s) }"));
    assertEquals("3", sexpr(r.count()));
    Stmt.ExprStmt call = assertInstanceOf(Stmt.ExprStmt.class, r.body().stmts().get(0));
    assertEquals("(call traffic for: 5s rate: 50/s)", sexpr(call.expr()));
  }

  @Test
  void decideWithBlockAndSingleStatementActions() {
    Stmt.Decide d = assertInstanceOf(Stmt.Decide.class, stmt("""
        decide {
          when t < 1s -> log "great"
          when t < 5s -> { log "ok"; wait 10ms }
          when t < 9s -> {}
          else -> revert fault
        }"""));
    assertEquals(3, d.arms().size());
    Stmt.Decide.When first = d.arms().get(0);
    assertEquals(at(2, 3, 26), first.at());
    assertEquals("(< t 1s)", sexpr(first.condition()));
    assertInstanceOf(Stmt.Log.class, first.action());
    Stmt.Nested block = assertInstanceOf(Stmt.Nested.class, d.arms().get(1).action());
    assertEquals(2, block.block().stmts().size());
    assertEquals(List.of(), assertInstanceOf(Stmt.Nested.class, d.arms().get(2).action()).block().stmts());
    Stmt.Revert orElse = assertInstanceOf(Stmt.Revert.class, d.orElse().orElseThrow());
    assertEquals("fault", sexpr(orElse.target().orElseThrow()));

    Stmt.Decide onLine = assertInstanceOf(Stmt.Decide.class, stmt("decide { when a -> log 1; when b -> log 2; }"));
    assertEquals(2, onLine.arms().size());
    assertEquals(Optional.empty(), onLine.orElse());
    assertEquals(List.of(), assertInstanceOf(Stmt.Decide.class, stmt("decide {}")).arms());
  }

  @Test
  void waitExpectRecordLog() {
    assertEquals("2s", sexpr(assertInstanceOf(Stmt.Wait.class, stmt("wait 2s")).duration()));
    Stmt.Expect e = assertInstanceOf(Stmt.Expect.class, stmt("expect t within 1s ± 250ms, \"p99 recovered\""));
    assertEquals("(within t 1s ± 250ms)", sexpr(e.condition()));
    assertEquals("\"p99 recovered\"", sexpr(e.message().orElseThrow()));
    assertEquals(Optional.empty(), assertInstanceOf(Stmt.Expect.class, stmt("expect ok")).message());
    Stmt.Record r = assertInstanceOf(Stmt.Record.class, stmt("record recovery = t"));
    assertEquals("recovery", r.name());
    assertEquals("t", sexpr(r.value()));
    assertEquals("\"hi\"", sexpr(assertInstanceOf(Stmt.Log.class, stmt("log \"hi\"")).message()));
  }

  @Test
  void abortWithAndWithoutReason() {
    Stmt.Abort with = assertInstanceOf(Stmt.Abort.class, stmt("abort P2 \"too slow\""));
    assertEquals("P2", sexpr(with.severity()));
    assertEquals("\"too slow\"", sexpr(with.reason().orElseThrow()));
    assertEquals(at(1, 1, 19), with.at());
    Stmt.Abort without = assertInstanceOf(Stmt.Abort.class, stmt("abort P3"));
    assertEquals(Optional.empty(), without.reason());
    Stmt.Abort computed = assertInstanceOf(Stmt.Abort.class, stmt("abort levels[0] \"\"\"\n  why\n  \"\"\""));
    assertEquals("(index levels 0)", sexpr(computed.severity()));
  }

  @Test
  void revertRollbackReturn() {
    assertEquals(Optional.empty(), assertInstanceOf(Stmt.Revert.class, stmt("revert all")).target());
    assertEquals("f", sexpr(assertInstanceOf(Stmt.Revert.class, stmt("revert f")).target().orElseThrow()));
    assertEquals("(index faults 0)",
        sexpr(assertInstanceOf(Stmt.Revert.class, stmt("revert faults[0]")).target().orElseThrow()));
    Stmt.Rollback rb = assertInstanceOf(Stmt.Rollback.class, stmt("rollback { log \"cleanup\" }"));
    assertEquals(1, rb.body().stmts().size());
    assertEquals(at(1, 10, 17), rb.body().at());
    assertEquals(Optional.empty(), assertInstanceOf(Stmt.Return.class, stmt("return")).value());
    assertEquals("(+ x 1)", sexpr(assertInstanceOf(Stmt.Return.class, stmt("return x + 1")).value().orElseThrow()));
  }

  @Test
  void injectAndAwaitAsStatements() {
    Stmt.ExprStmt s = assertInstanceOf(Stmt.ExprStmt.class, stmt("inject link.latency(500ms) for 30s"));
    assertEquals("(inject (call (. link latency) 500ms) for 30s)", sexpr(s.expr()));
    Stmt.Let let = assertInstanceOf(Stmt.Let.class, stmt("let f = inject net.partition(a, b)"));
    assertEquals("(inject (call (. net partition) a b))", sexpr(let.value()));
    Stmt.Let took = assertInstanceOf(Stmt.Let.class, stmt("let took = measure { wait 2s }"));
    assertEquals("(measure 1)", sexpr(took.value()));
    Stmt.Let t = assertInstanceOf(Stmt.Let.class, stmt("let t = await traffic.p99 < 800ms within 30s every 500ms"));
    assertEquals("(await (< (. traffic p99) 800ms) within 30s every 500ms)", sexpr(t.value()));
  }

  @Test
  void semicolonsSeparateStatementsOnOneLine() {
    Playbook p = parse("let a = 1; let b = 2;; log a");
    assertEquals(3, p.body().size());
    assertEquals(at(1, 12, 9), p.body().get(1).at());
    assertEquals(at(1, 24, 5), p.body().get(2).at());
  }

  @Test
  void positionsAcrossAPlaybook() {
    Playbook p = parse("""
        playbook "p" {
          scenario "s" tags [a] {
            step "one" {
        \t\tinject f() for 1s
              expect ok, "fine"
            }
          }
        }
        """);
    Decl.Scenario s = assertInstanceOf(Decl.Scenario.class, p.body().get(0));
    assertEquals(at(2, 3, 23), s.at());
    Decl.Step step = assertInstanceOf(Decl.Step.class, s.body().stmts().get(0));
    assertEquals(at(3, 5, 12), step.at());
    Stmt.ExprStmt inject = assertInstanceOf(Stmt.ExprStmt.class, step.body().stmts().get(0));
    assertEquals(at(4, 3, 17), inject.at(), "a tab is one column");
    Stmt.Expect expect = assertInstanceOf(Stmt.Expect.class, step.body().stmts().get(1));
    assertEquals(at(5, 7, 17), expect.at());
    assertEquals(at(5, 18, 6), expect.message().orElseThrow().at());
  }

  @Test
  void windowsLineEndingsKeepPositions() {
    Playbook p = parse("playbook \"p\" {\r\n  let a = 1\r\n  log \"x\"\r\n}\r\n");
    assertEquals(at(2, 3, 9), p.body().get(0).at());
    assertEquals(at(3, 3, 7), p.body().get(1).at());
  }

  @Test
  void byteOrderMarkIsDropped() {
    byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
    byte[] text = "let a = 1".getBytes(StandardCharsets.UTF_8);
    byte[] all = new byte[bom.length + text.length];
    System.arraycopy(bom, 0, all, 0, bom.length);
    System.arraycopy(text, 0, all, bom.length, text.length);
    Playbook p = new PlaybookParser().parse(SourceFile.fromBytes("t.fl", all));
    assertEquals(at(1, 1, 9), p.body().get(0).at());
  }

  @Test
  void parseStatementsTakesBareStatementsOnly() {
    Playbook p = Parsing.parseStatements("let a = 1\nfn f() {}\nguard \"g\" every 1s { ok } else abort P1");
    assertTrue(p.isLibrary());
    assertEquals(3, p.body().size());
    PlaybookError e = assertThrows(PlaybookError.class, () -> Parsing.parseStatements("playbook \"x\" {}"));
    assertEquals("t.fl:1:1: error: expected a statement or end of file, found 'playbook'", e.first().headline());
    assertEquals(List.of(), Parsing.parseStatements("").body());
  }

  @Test
  void parserIsReusable() {
    PlaybookParser parser = new PlaybookParser();
    for (int i = 0; i < 3; i++) {
      assertThrows(PlaybookError.class, () -> parser.parse(new SourceFile("t.fl", "let = 1")));
      assertEquals(1, parser.parse(new SourceFile("t.fl", "let a = 1")).body().size());
    }
  }
}
