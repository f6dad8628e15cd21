package dev.faultline.cli;

import picocli.CommandLine.Option;

/** Options every command takes: how problems are shown, and whether internal errors show a stack trace. */
final class CommonOptions {
  /** How much of each problem to print. */
  enum Errors { SHORT, LONG }

  @Option(names = "--errors", paramLabel = "short|long", defaultValue = "long", converter = ErrorsConverter.class,
      description = "How to print problems: 'long' quotes the line with a caret and a hint, 'short' prints only the headline (default: ${DEFAULT-VALUE}).")
  Errors errors = Errors.LONG;

  @Option(names = "--no-color", description = "Never colour the output (colour is used only on a terminal, and never when NO_COLOR is set).")
  boolean noColor;

  @Option(names = "--debug", description = "Show the Java stack trace of internal errors (bugs in faultline, never mistakes in a playbook).")
  boolean debug;

  boolean shortErrors() {
    return errors == Errors.SHORT;
  }

  /** Accepts the words in lower case, as the help shows them. */
  static final class ErrorsConverter implements picocli.CommandLine.ITypeConverter<Errors> {
    @Override
    public Errors convert(String value) {
      return switch (value) {
        case "short" -> Errors.SHORT;
        case "long" -> Errors.LONG;
        default -> throw new picocli.CommandLine.TypeConversionException(
            "'" + value + "' is not a way to print errors; use --errors=short or --errors=long");
      };
    }
  }
}
