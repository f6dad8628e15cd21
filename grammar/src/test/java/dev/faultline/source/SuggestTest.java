package dev.faultline.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class SuggestTest {
  private static final List<String> PARAMS = List.of("delay", "jitter", "correlation", "to", "direction");

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
      jiter        | jitter
      jtter        | jitter
      jittr        | jitter
      jitterr      | jitter
      ijtter       | jitter
      JITTER       | jitter
      Jiter        | jitter
      dealy        | delay
      dleay        | delay
      corelation   | correlation
      corrleation  | correlation
      direktion    | direction
      tto          | to
      t            | to
      xyz          | -
      jttr         | jitter
      jxxxr        | -
      latency      | -
      d            | -
      ''           | -
      """)
  void closest(String word, String expected) {
    assertEquals(Optional.ofNullable(expected), Suggest.closest(word, PARAMS));
  }

  @Test
  void anExactMatchIsNotASuggestion() {
    assertEquals(Optional.empty(), Suggest.closest("jitter", List.of("jitter")));
    assertEquals(Optional.of("Jitter"), Suggest.closest("jitter", List.of("Jitter")));
  }

  @Test
  void theNearestWinsAndTiesGoToTheFirst() {
    assertEquals(Optional.of("ms"), Suggest.closest("mss", List.of("us", "ms", "s", "m")));
    assertEquals(Optional.of("abd"), Suggest.closest("abc", List.of("abd", "abe")));
    assertEquals(Optional.of("abc1"), Suggest.closest("abc", List.of("xbc1", "abc1")));
  }

  @Test
  void allowanceIsAboutOneEditPerTwoLetters() {
    assertEquals(Optional.of("abcdef"), Suggest.closest("abxdyf", List.of("abcdef")));
    assertEquals(Optional.of("abcdef"), Suggest.closest("axxdyf", List.of("abcdef")));
    assertEquals(Optional.empty(), Suggest.closest("axxxyf", List.of("abcdef")));
    assertEquals(Optional.of("ab"), Suggest.closest("xb", List.of("ab")), "short words get one edit");
  }

  @Test
  void didYouMeanWording() {
    assertEquals("did you mean 'jitter'?", Suggest.didYouMean("jiter", PARAMS));
    assertNull(Suggest.didYouMean("nothing-like-it", PARAMS));
    assertNull(Suggest.didYouMean("x", List.of()));
  }

  @Test
  void distanceCountsTranspositionsAsOneEdit() {
    assertEquals(0, Suggest.distance("abc", "abc", 3));
    assertEquals(1, Suggest.distance("abc", "acb", 3));
    assertEquals(1, Suggest.distance("abc", "abcd", 3));
    assertEquals(1, Suggest.distance("abc", "ab", 3));
    assertEquals(3, Suggest.distance("", "abc", 3));
    assertEquals(3, Suggest.distance("kitten", "sitting", 5));
    assertEquals(2, Suggest.distance("kitten", "sitting", 1), "stops early, one above the limit");
    assertEquals(2, Suggest.distance("a", "abcdef", 1), "lengths alone rule it out");
  }
}
