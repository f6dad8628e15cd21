package dev.faultline.stdlib.hooks;

import dev.faultline.ast.Decl;
import dev.faultline.fault.FaultRecoverer;
import dev.faultline.hook.HookSource;
import dev.faultline.host.CallContext;
import dev.faultline.source.Position;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reverts hook faults from their journal records in another process ({@code faultline recover},
 * the watchdog): loads the hook again from the source the record keeps (or its file) and calls the
 * injector's {@code recover(record)}. An injector without one cannot be undone from outside the
 * run that injected it: that is reported as needing a manual revert, and the record stays.
 */
public final class HookRecoverer implements FaultRecoverer {

  @Override
  public Set<String> kinds() {
    return Set.of(HookFault.KIND);
  }

  @Override
  public void revert(String kind, Map<String, Object> undo) throws Exception {
    String name = String.valueOf(undo.get("hook"));
    String injector = String.valueOf(undo.get("injector"));
    String file = String.valueOf(undo.getOrDefault("file", ""));
    String text = String.valueOf(undo.getOrDefault("source", ""));
    if (text.isEmpty() && !file.isEmpty()) text = Files.readString(Path.of(file), StandardCharsets.UTF_8);
    if (text.isEmpty()) throw new ManualRevertNeeded("the record of hook " + name + " keeps neither its source nor its file");
    int line = undo.get("first_line") instanceof Number n ? n.intValue() : 1;
    int column = undo.get("first_column") instanceof Number n ? n.intValue() : 1;
    Decl.Hook decl = new Decl.Hook(Position.NONE, "", file.isEmpty() ? text : file, file.isEmpty(), Position.NONE);
    HookSource source = new HookSource(decl, name, file.isEmpty() ? Optional.empty() : Optional.of(Path.of(file)), text, line, column, false);
    try (JsHook hook = JsHook.load(source, HookLimits.DEFAULT)) {
      Map<String, Object> record = new LinkedHashMap<>();
      record.put("injector", injector);
      record.put("args", JsValues.fromRecord(undo.getOrDefault("args", Map.of())));
      record.put("hook", name);
      if (!HookFault.recoverIn(hook, injector, record, CallContext.detached())) {
        throw new ManualRevertNeeded("injector '" + injector + "' of hook " + name + " has no recover(record), so only a person"
            + " can undo it (its arguments: " + undo.get("args") + ")");
      }
    }
  }
}
