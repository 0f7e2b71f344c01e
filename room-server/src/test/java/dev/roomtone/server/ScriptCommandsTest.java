package dev.roomtone.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.roomtone.script.screenplay.FountainParser;
import dev.roomtone.script.screenplay.fdx.FdxReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code roomtone export} and {@code roomtone import} as a writer runs them. */
class ScriptCommandsTest {

  private static final String SCRIPT = "Title: Pilot\n\nINT. ROOM - DAY #1#\n\nCards.\n\nMAYA\nFrom the top.\n";

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine cli = Main.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return cli.execute(args);
  }

  @Test
  void exportsEveryFormatAndImportsBack(@TempDir Path dir) throws Exception {
    Path in = dir.resolve("pilot.fountain");
    Files.writeString(in, SCRIPT);
    assertEquals(0, run("export", "--format", "pdf", "--paper", "a4", "--scene-numbers", in.toString(),
        dir.resolve("pilot.pdf").toString()), err.toString());
    try (PDDocument doc = Loader.loadPDF(Files.readAllBytes(dir.resolve("pilot.pdf")))) {
      assertEquals(2, doc.getNumberOfPages());
      assertEquals(595, Math.round(doc.getPage(0).getMediaBox().getWidth()));
    }
    assertEquals(0, run("export", in.toString(), dir.resolve("pilot.fdx").toString()), err.toString());
    assertEquals(0, run("export", "--format", "txt", in.toString(), dir.resolve("pilot.out").toString()));
    assertTrue(Files.readString(dir.resolve("pilot.out")).contains("MAYA"));
    assertEquals(FountainParser.parse(SCRIPT).withoutRanges().elements(),
        FdxReader.read(Files.readAllBytes(dir.resolve("pilot.fdx"))).elements());
    assertEquals(0, run("import", dir.resolve("pilot.fdx").toString(), dir.resolve("back.fountain").toString()));
    assertEquals(FountainParser.parse(SCRIPT).withoutRanges(),
        FountainParser.parse(Files.readString(dir.resolve("back.fountain"))).withoutRanges());
    // FDX in, PDF out
    assertEquals(0, run("export", dir.resolve("pilot.fdx").toString(), dir.resolve("from-fdx.pdf").toString()));
  }

  @Test
  void usageErrorsExit2(@TempDir Path dir) throws Exception {
    assertEquals(2, run("export", "--format", "pdf", dir.resolve("missing.fountain").toString(),
        dir.resolve("x.pdf").toString()));
    assertTrue(err.toString().contains("no such file"), err.toString());
    Path in = dir.resolve("a.fountain");
    Files.writeString(in, SCRIPT);
    assertEquals(2, run("export", "--format", "docx", in.toString(), dir.resolve("x.docx").toString()));
    assertTrue(err.toString().contains("unknown format 'docx'"), err.toString());
    assertEquals(2, run("export", in.toString(), dir.resolve("noext").toString()));
    assertEquals(2, run("export", "--paper", "legal", in.toString(), dir.resolve("x.pdf").toString()));
    assertEquals(2, run("import", dir.resolve("a.pdf").toString(), dir.resolve("x.fountain").toString()));
    assertEquals(2, run("export"));
    assertFalse(Files.exists(dir.resolve("x.pdf")));
  }

  @Test
  void unreadableInputExits1AndWritesNothing(@TempDir Path dir) throws Exception {
    Path broken = dir.resolve("broken.fdx");
    Files.writeString(broken, "<FinalDraft DocumentType=\"Script\"><Content><Paragraph>");
    Path target = dir.resolve("out.fountain");
    assertEquals(1, run("import", broken.toString(), target.toString()));
    assertTrue(err.toString().contains("broken XML"), err.toString());
    assertTrue(err.toString().contains("Nothing was written"), err.toString());
    assertFalse(Files.exists(target));

    Path binary = dir.resolve("junk.fountain");
    Files.write(binary, new byte[] {0x25, 0x50, 0x44, 0x46, 0x00, (byte) 0xff, 0x01});
    Path pdf = dir.resolve("junk.pdf");
    assertEquals(1, run("export", binary.toString(), pdf.toString()));
    assertTrue(err.toString().contains("not a text file"), err.toString());
    assertFalse(Files.exists(pdf));
    try (var files = Files.list(dir)) {
      assertTrue(files.noneMatch(p -> p.getFileName().toString().endsWith(".tmp")), "no temporary file left");
    }

    Path big = dir.resolve("big.fountain");
    try (var ch = java.nio.channels.FileChannel.open(big, java.nio.file.StandardOpenOption.CREATE_NEW,
        java.nio.file.StandardOpenOption.WRITE)) {
      ch.write(java.nio.ByteBuffer.wrap("x".getBytes(StandardCharsets.UTF_8)), 50L * 1024 * 1024);
    }
    assertEquals(1, run("export", big.toString(), dir.resolve("big.pdf").toString()));
    assertTrue(err.toString().contains("16 MiB"), err.toString());
    assertFalse(Files.exists(dir.resolve("big.pdf")));
  }
}
