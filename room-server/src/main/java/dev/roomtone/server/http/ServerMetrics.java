package dev.roomtone.server.http;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/** The server's Prometheus metrics, served at {@code GET /metrics}. */
public final class ServerMetrics {

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final Gauge connections = Gauge.builder().name("roomtone_connections")
      .help("Open WebSocket connections").labelNames("protocol").register(registry);
  private final Counter connectionsTotal = Counter.builder().name("roomtone_connections_opened_total")
      .help("WebSocket connections opened").labelNames("protocol").register(registry);
  private final Counter requests = Counter.builder().name("roomtone_api_requests_total")
      .help("REST requests answered").labelNames("status").register(registry);
  private final Counter framesIn = Counter.builder().name("roomtone_frames_received_total")
      .help("WebSocket messages received from clients").labelNames("protocol").register(registry);
  private final Counter framesOut = Counter.builder().name("roomtone_frames_sent_total")
      .help("WebSocket messages sent to clients").labelNames("protocol").register(registry);
  private final Counter bytesOut = Counter.builder().name("roomtone_sent_bytes_total")
      .help("Payload bytes sent to clients over WebSockets").labelNames("protocol").register(registry);
  private final Counter roomsCreated = Counter.builder().name("roomtone_rooms_created_total")
      .help("Rooms created since start").register(registry);

  /** Where other parts of the server (the GPU scheduler) register their metrics. */
  public PrometheusRegistry registry() {
    return registry;
  }

  void connectionOpened(String protocol) {
    connections.labelValues(protocol).inc();
    connectionsTotal.labelValues(protocol).inc();
  }

  void connectionClosed(String protocol) {
    connections.labelValues(protocol).dec();
  }

  void frameReceived(String protocol) {
    framesIn.labelValues(protocol).inc();
  }

  void frameSent(String protocol, int bytes) {
    framesOut.labelValues(protocol).inc();
    bytesOut.labelValues(protocol).inc(bytes);
  }

  void request(int status) {
    requests.labelValues(Integer.toString(status)).inc();
  }

  void roomCreated() {
    roomsCreated.inc();
  }

  /** The metrics in Prometheus' text format. */
  public String scrape() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      PrometheusTextFormatWriter.create().write(out, registry.scrape());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString(java.nio.charset.StandardCharsets.UTF_8);
  }
}
