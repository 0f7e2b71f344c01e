package dev.roomtone.server.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.roomtone.script.screenplay.FountainParser;
import dev.roomtone.script.screenplay.ParsedScript;
import dev.roomtone.script.screenplay.Screenplay;
import dev.roomtone.script.screenplay.SyntheticScript;
import dev.roomtone.script.screenplay.fdx.FdxReader;
import dev.roomtone.script.screenplay.fdx.FdxWriter;
import dev.roomtone.script.screenplay.layout.LayoutOptions;
import dev.roomtone.script.screenplay.layout.Paginator;
import dev.roomtone.script.screenplay.layout.PlainTextExporter;
import dev.roomtone.script.screenplay.pdf.PdfExporter;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code roomtone bench formats}: the screenplay formats on a seeded feature-length script: full
 * parse, re-parse per keystroke, PDF, FDX and text export, FDX import; anchored by afterwriting
 * (Node) making a US Letter PDF of the same Fountain in the same run.
 */
@Command(
    name = "formats",
    mixinStandardHelpOptions = true,
    description = {
        "Screenplay formats: parse, re-parse per keystroke, PDF/FDX export, against afterwriting.",
        "Time the screenplay formats on a synthetic script (default 120 pages): full parse, per-keystroke",
        "re-parse (p50/p99), PDF/FDX/txt export and FDX import; then afterwriting in Node exporting the",
        "same Fountain to a US Letter PDF, as the anchor. One JSON line per result, then a comparison."
    })
public final class FormatsBenchCommand implements Callable<Integer> {

  @Spec
  private CommandSpec spec;

  @Option(names = "--pages", defaultValue = "120", description = "Length of the script in pages (default: ${DEFAULT-VALUE}).")
  private int pages;

  @Option(names = "--seed", defaultValue = "2026", description = "Seed of the script and the keystrokes (default: ${DEFAULT-VALUE}).")
  private long seed;

  @Option(names = "--runs", defaultValue = "10", description = "Runs per measurement (default: ${DEFAULT-VALUE}).")
  private int runs;

  @Option(names = "--keystrokes", defaultValue = "5000", description = "Keystrokes replayed (default: ${DEFAULT-VALUE}).")
  private int keystrokes;

  @Option(names = "--no-anchor", description = "Skip afterwriting.")
  private boolean noAnchor;

  @Option(names = "--anchor-dir", paramLabel = "DIR",
      description = "Directory with afterwriting's package.json (default: room-server/src/bench/afterwriting).")
  private Path anchorDir;

  private static final ObjectMapper JSON = new ObjectMapper();

  @Override
  public Integer call() throws Exception {
    if (runs < 1 || pages < 1 || keystrokes < 1) {
      throw new ParameterException(spec.commandLine(), "--runs, --pages and --keystrokes must be at least 1");
    }
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter progress = spec.commandLine().getErr();
    String fountain = SyntheticScript.generate(seed, pages);
    Screenplay s = FountainParser.parse(fountain);
    LayoutOptions letter = LayoutOptions.DEFAULT;
    int laidOut = new Paginator(letter).paginate(s).size();
    ObjectNode script = line("script");
    script.put("seed", seed);
    script.put("chars", fountain.length());
    script.put("elements", s.elements().size());
    script.put("pdf_pages", laidOut);
    script.put("load_average", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    script.put("cpus", Runtime.getRuntime().availableProcessors());
    out.println(script);
    out.flush();

    progress.println("Full parse, PDF, FDX, txt...");
    progress.flush();
    ObjectNode parse = timed("full_parse", () -> FountainParser.parse(fountain));
    out.println(parse);
    ObjectNode keys = keystrokes(fountain);
    out.println(keys);
    PdfExporter pdf = new PdfExporter(letter);
    ObjectNode pdfLine = timed("pdf_export", () -> pdf.export(FountainParser.parse(fountain)));
    out.println(pdfLine);
    byte[] fdx = FdxWriter.write(s).getBytes(StandardCharsets.UTF_8);
    out.println(timed("fdx_export", () -> FdxWriter.write(FountainParser.parse(fountain))));
    out.println(timed("fdx_import", () -> {
      try {
        return FdxReader.read(fdx);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }));
    out.println(timed("txt_export", () -> PlainTextExporter.write(new Paginator(letter).paginate(FountainParser.parse(fountain)))));
    out.flush();

    ObjectNode cmp = line("comparison");
    cmp.put("pages", laidOut);
    cmp.put("roomtone_pdf_ms", pdfLine.path("median_ms").asDouble());
    cmp.put("roomtone_pdf_first_ms", pdfLine.path("first_ms").asDouble());
    cmp.put("keystroke_p50_us", keys.path("p50_us").asDouble());
    cmp.put("keystroke_p99_us", keys.path("p99_us").asDouble());
    cmp.put("full_parse_ms", parse.path("median_ms").asDouble());
    if (!noAnchor) {
      Afterwriting aw = new Afterwriting(Afterwriting.locate(anchorDir), progress);
      aw.ensureInstalled();
      Path tmp = Files.createTempDirectory("roomtone-bench-formats");
      try {
        Path src = tmp.resolve("script.fountain");
        Files.writeString(src, fountain);
        List<Double> ms = new ArrayList<>();
        int awPages = 0;
        for (int i = 1; i <= Math.min(runs, 5); i++) {
          progress.printf("afterwriting run %d...%n", i);
          progress.flush();
          Path pdfOut = tmp.resolve("aw.pdf");
          ms.add(aw.exportPdf(src, pdfOut));
          try (PDDocument d = Loader.loadPDF(Files.readAllBytes(pdfOut))) {
            awPages = d.getNumberOfPages();
          }
        }
        double node = aw.nodeStartupMs();
        ObjectNode a = line("afterwriting_pdf_export");
        a.put("impl", "afterwriting 1.17.3 (Node " + aw.nodeVersion() + ")");
        a.put("runs", ms.size());
        a.put("median_ms", median(ms));
        a.put("first_ms", ms.get(0));
        a.put("node_startup_ms", node);
        a.put("pdf_pages", awPages);
        a.put("note", "wall time of the whole awc command (Node start, parse, PDF) per run");
        out.println(a);
        cmp.put("afterwriting_pdf_ms", median(ms));
        cmp.put("afterwriting_minus_node_start_ms", round(median(ms) - node));
        cmp.put("afterwriting_pages", awPages);
        cmp.put("pdf_speedup", round(median(ms) / pdfLine.path("median_ms").asDouble()));
      } finally {
        try (var files = Files.list(tmp)) {
          for (Path p : files.toList()) {
            Files.deleteIfExists(p);
          }
        }
        Files.deleteIfExists(tmp);
      }
    }
    out.println(cmp);
    out.flush();
    return keys.path("correct").asBoolean() ? 0 : 1;
  }

  private ObjectNode timed(String what, Supplier<Object> work) {
    List<Double> ms = new ArrayList<>();
    for (int i = 0; i < runs; i++) {
      long t0 = System.nanoTime();
      Object r = work.get();
      ms.add((System.nanoTime() - t0) / 1e6);
      if (r == null) {
        throw new IllegalStateException(what + " returned nothing");
      }
    }
    ObjectNode n = line(what);
    n.put("runs", runs);
    n.put("first_ms", round(ms.get(0)));
    n.put("median_ms", median(ms.subList(ms.size() / 2, ms.size())));
    n.put("statistic", "median of runs " + (runs / 2 + 1) + ".." + runs);
    return n;
  }

  /** Types characters at seeded places (and some backspaces), timing each {@link ParsedScript#edit}. */
  private ObjectNode keystrokes(String fountain) {
    Random r = new Random(seed);
    ParsedScript p = ParsedScript.parse(fountain);
    // warm the JIT compiler as a long editing session would have
    for (int i = 0; i < 2000; i++) {
      p = p.edit(r.nextInt(p.text().length()), 0, "x");
    }
    p = ParsedScript.parse(fountain);
    long[] ns = new long[keystrokes];
    String typed = "abcdefghij klmnop.\n";
    for (int i = 0; i < keystrokes; i++) {
      int at = r.nextInt(p.text().length());
      boolean backspace = r.nextInt(8) == 0 && at > 0;
      long t0 = System.nanoTime();
      p = backspace ? p.edit(at - 1, 1, "") : p.edit(at, 0, String.valueOf(typed.charAt(r.nextInt(typed.length()))));
      ns[i] = System.nanoTime() - t0;
    }
    boolean correct = FountainParser.parse(p.text()).equals(p.screenplay());
    Arrays.sort(ns);
    ObjectNode n = line("keystroke_reparse");
    n.put("keystrokes", keystrokes);
    n.put("p50_us", round(ns[ns.length / 2] / 1e3));
    n.put("p99_us", round(ns[(int) (ns.length * 0.99)] / 1e3));
    n.put("max_us", round(ns[ns.length - 1] / 1e3));
    n.put("correct", correct);
    return n;
  }

  private static ObjectNode line(String what) {
    ObjectNode n = JSON.createObjectNode();
    n.put("bench", "formats");
    n.put("what", what);
    return n;
  }

  private static double median(List<Double> v) {
    double[] a = v.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    double m = a.length % 2 == 1 ? a[a.length / 2] : (a[a.length / 2 - 1] + a[a.length / 2]) / 2;
    return round(m);
  }

  private static double round(double ms) {
    return Math.round(ms * 1000) / 1000.0;
  }
}
