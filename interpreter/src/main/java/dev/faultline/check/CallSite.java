package dev.faultline.check;

import dev.faultline.host.Signature;
import dev.faultline.source.Position;

/**
 * A call of a host function the checker could resolve: where it is, how messages name it
 * ({@code file(...).replace()}) and what it calls. A member read without parentheses is a call too.
 * Calls whose function the checker cannot see (a member of a value of unknown type) are not here.
 */
public record CallSite(Position at, String text, Signature signature) {}
