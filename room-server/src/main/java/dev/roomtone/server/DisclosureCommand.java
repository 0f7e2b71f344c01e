package dev.roomtone.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code roomtone disclosure}: a room's AI-written passages still in the script, for guild disclosure. */
@Command(
    name = "disclosure",
    mixinStandardHelpOptions = true,
    versionProvider = Main.VersionProvider.class,
    description = {
        "Export a room's AI disclosure (CSV or JSON) from a running server.",
        "Lists every AI-written passage still in the script: who asked, which model, who approved and when.",
        "Needs a member token of the room.",
        "Exit codes: 0 written, 1 the server refused or could not be reached, 2 usage."
    })
final class DisclosureCommand implements Callable<Integer> {

  private static final List<String> COLUMNS =
      List.of("suggestionId", "task", "requestedBy", "model", "backend", "approvedBy", "approvedAt", "text");

  @Spec
  private CommandSpec spec;

  @Option(names = "--server", paramLabel = "URL", defaultValue = "http://127.0.0.1:8080",
      description = "The Roomtone server (default: ${DEFAULT-VALUE}).")
  private URI server;

  @Option(names = "--room", required = true, paramLabel = "ID", description = "The room's id.")
  private String room;

  @Option(names = "--token", paramLabel = "TOKEN", defaultValue = "${env:ROOMTONE_TOKEN}",
      description = "A member token of the room (default: $ROOMTONE_TOKEN).")
  private String token;

  @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "csv", description = "csv or json (default: csv).")
  private String format;

  @Option(names = "--out", paramLabel = "FILE", description = "Write here instead of standard output.")
  private Path out;

  @Override
  public Integer call() throws Exception {
    PrintWriter err = spec.commandLine().getErr();
    if (token == null || token.isBlank()) {
      err.println("roomtone disclosure: give a member token of the room with --token or $ROOMTONE_TOKEN");
      return 2;
    }
    if (!format.equals("csv") && !format.equals("json")) {
      err.println("roomtone disclosure: --format must be csv or json, not " + format);
      return 2;
    }
    HttpResponse<String> r;
    URI uri = URI.create(server.toString().replaceFirst("/$", "") + "/api/rooms/" + room + "/ai-disclosure");
    try {
      r = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build().send(HttpRequest.newBuilder(uri)
              .header("Authorization", "Bearer " + token.strip()).timeout(Duration.ofSeconds(30)).build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      err.println("roomtone disclosure: cannot reach " + server + ": " + e.getMessage());
      return 1;
    }
    ObjectMapper json = new ObjectMapper();
    JsonNode body;
    try {
      body = json.readTree(r.body());
    } catch (IOException e) {
      err.println("roomtone disclosure: " + server + " answered HTTP " + r.statusCode() + " with something that is not JSON");
      return 1;
    }
    if (r.statusCode() != 200) {
      err.println("roomtone disclosure: the server refused (HTTP " + r.statusCode() + "): " + body.path("message").asText(r.body()));
      return 1;
    }
    String text;
    if (format.equals("json")) {
      text = json.writerWithDefaultPrettyPrinter().writeValueAsString(body) + "\n";
    } else {
      List<Map<String, String>> rows = new ArrayList<>();
      for (JsonNode p : body.path("passages")) {
        Map<String, String> row = new LinkedHashMap<>();
        for (String c : COLUMNS) {
          row.put(c, c.equals("approvedAt") ? Instant.ofEpochMilli(p.path(c).asLong()).toString() : p.path(c).asText());
        }
        rows.add(row);
      }
      CsvSchema.Builder schema = CsvSchema.builder().setUseHeader(true);
      COLUMNS.forEach(schema::addColumn);
      text = new CsvMapper().writer(schema.build()).writeValueAsString(rows);
    }
    if (out != null) {
      Files.writeString(out, text, StandardCharsets.UTF_8);
    } else {
      spec.commandLine().getOut().print(text);
      spec.commandLine().getOut().flush();
    }
    return 0;
  }
}
