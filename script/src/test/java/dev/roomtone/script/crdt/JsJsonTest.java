package dev.roomtone.script.crdt;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** JSON exactly as JavaScript writes it: Yjs stores embeds and format values as JSON text. */
class JsJsonTest {

  @Test
  void numbersAreWrittenLikeJavaScript() {
    assertEquals("0", JsJson.stringify(-0.0));
    assertEquals("1", JsJson.stringify(1.0));
    assertEquals("1.5", JsJson.stringify(1.5));
    assertEquals("1e+21", JsJson.stringify(1e21));
    assertEquals("100000000000000000000", JsJson.stringify(1e20));
    assertEquals("1e-7", JsJson.stringify(1e-7));
    assertEquals("0.000001", JsJson.stringify(1e-6));
    assertEquals("5e-324", JsJson.stringify(Double.MIN_VALUE));
    assertEquals("1.7976931348623157e+308", JsJson.stringify(Double.MAX_VALUE));
    assertEquals("null", JsJson.stringify(Double.NaN));
    assertEquals("null", JsJson.stringify(Double.POSITIVE_INFINITY));
    assertEquals("-123456789012", JsJson.stringify(-123456789012L));
  }

  @Test
  void stringsObjectsAndArraysAreWrittenLikeJavaScript() {
    Map<String, Object> obj = new LinkedHashMap<>();
    obj.put("b", "x\"y\\z\n\u0001\u2028");
    obj.put("10", 1L);
    obj.put("2", List.of(true, Undefined.INSTANCE));
    obj.put("skip", Undefined.INSTANCE);
    obj.put("a", null);
    assertEquals("{\"2\":[true,null],\"10\":1,\"b\":\"x\\\"y\\\\z\\n\\u0001\u2028\",\"a\":null}", JsJson.stringify(obj));
    assertEquals("\"\\ud800x\"", JsJson.stringify("\ud800x"));
    assertEquals("\"😀\"", JsJson.stringify("😀"));
  }

  @Test
  void parsingFollowsJavaScript() {
    Object v = JsJson.parse(" {\"a\": [1, 2.5, -0, 1e400], \"a\": \"\\u00e9\\ud83d\\ude00\", \"b\": {}} ");
    assertTrue(v instanceof Map<?, ?>);
    Map<?, ?> m = (Map<?, ?>) v;
    assertEquals("é😀", m.get("a"), "a duplicate key keeps the last value");
    assertEquals(List.of("a", "b"), new ArrayList<>(m.keySet()));
    Object arr = JsJson.parse("[1, 2.5, -0, 1e400]");
    List<?> list = (List<?>) arr;
    assertEquals(1L, list.get(0));
    assertEquals(2.5, list.get(1));
    assertEquals(-0.0, list.get(2));
    assertEquals(Double.POSITIVE_INFINITY, list.get(3));
    for (String bad : new String[] {"", "{", "[1,]", "{\"a\" 1}", "01", "\"\\x\"", "tru", "1 2", "\"a\u0001\""}) {
      assertThrows(IllegalArgumentException.class, () -> JsJson.parse(bad), bad);
    }
    StringBuilder deep = new StringBuilder();
    deep.append("[".repeat(10_000));
    assertThrows(IllegalArgumentException.class, () -> JsJson.parse(deep.toString()));
  }

  /** Random doubles: every one printed exactly as Node prints it. */
  @Test
  void randomNumbersMatchNode() throws IOException, InterruptedException {
    SplittableRandom random = new SplittableRandom(Seeds.base("randomNumbersMatchNode"));
    List<Double> numbers = new ArrayList<>();
    for (int i = 0; i < 2000; i++) {
      numbers.add(switch (i % 4) {
        case 0 -> Double.longBitsToDouble(random.nextLong() & 0x7FEFFFFFFFFFFFFFL);
        case 1 -> random.nextDouble() * Math.pow(10, random.nextInt(-30, 30));
        case 2 -> (double) random.nextLong(1L << 53);
        default -> Math.round(random.nextDouble() * 1e6) / 1e3;
      });
    }
    StringBuilder bits = new StringBuilder();
    for (double d : numbers) {
      bits.append(Long.toHexString(Double.doubleToRawLongBits(d))).append('\n');
    }
    Process p = new ProcessBuilder("node", "-e",
        "const lines=require('fs').readFileSync(0,'utf8').trim().split('\\n');"
            + "const b=Buffer.alloc(8);"
            + "console.log(lines.map(h=>{b.writeBigUInt64BE(BigInt('0x'+h));return JSON.stringify(b.readDoubleBE(0))}).join('\\n'))")
        .redirectErrorStream(true).start();
    p.getOutputStream().write(bits.toString().getBytes(StandardCharsets.UTF_8));
    p.getOutputStream().close();
    String[] expected = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim().split("\n");
    assertEquals(0, p.waitFor());
    assertEquals(numbers.size(), expected.length);
    for (int i = 0; i < numbers.size(); i++) {
      assertEquals(expected[i], JsJson.stringify(numbers.get(i)), "for " + numbers.get(i));
    }
  }
}
