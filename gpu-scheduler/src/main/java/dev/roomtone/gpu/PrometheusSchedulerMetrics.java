package dev.roomtone.gpu;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * The scheduler's metrics in a Prometheus registry: queue length, wait time, service and demand
 * per session, device busy time, refusals by reason, and Jain's fairness index over a sliding
 * window.
 */
public final class PrometheusSchedulerMetrics implements SchedulerMetrics {

  private final Gauge queueLength;
  private final Histogram waitSeconds;
  private final Counter serviceUnits;
  private final Counter askedUnits;
  private final Counter deviceBusySeconds;
  private final Counter refusals;
  private final FairnessWindow window;

  public PrometheusSchedulerMetrics(PrometheusRegistry registry, Clock clock, Duration fairnessWindow) {
    this.window = new FairnessWindow(fairnessWindow, 12);
    queueLength = Gauge.builder().name("roomtone_scheduler_queue_length")
        .help("Jobs waiting, per room session").labelNames("session").register(registry);
    waitSeconds = Histogram.builder().name("roomtone_scheduler_wait_seconds")
        .help("Time jobs waited for a device, per room session").labelNames("session")
        .classicUpperBounds(0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 900)
        .register(registry);
    serviceUnits = Counter.builder().name("roomtone_scheduler_service_units_total")
        .help("Service delivered, in cost units (weighted tokens, steps x megapixels), per room session")
        .labelNames("session").register(registry);
    askedUnits = Counter.builder().name("roomtone_scheduler_asked_units_total")
        .help("Estimated cost of the jobs submitted, per room session").labelNames("session").register(registry);
    deviceBusySeconds = Counter.builder().name("roomtone_scheduler_device_busy_seconds_total")
        .help("Time each device ran at least one job").labelNames("device").register(registry);
    refusals = Counter.builder().name("roomtone_scheduler_refusals_total")
        .help("Submissions refused, by reason").labelNames("reason").register(registry);
    GaugeWithCallback.builder().name("roomtone_scheduler_fairness_jain")
        .help("Jain's index of service against each session's max-min fair share of its demand, over the last "
            + fairnessWindow.toSeconds() + " s (1 = fair)")
        .callback(cb -> cb.call(window.jain(clock.instant())))
        .register(registry);
  }

  @Override
  public void queueLength(String session, int length) {
    queueLength.labelValues(session).set(length);
  }

  @Override
  public void waited(String session, double seconds) {
    waitSeconds.labelValues(session).observe(seconds);
  }

  @Override
  public void asked(String session, double units, Instant now) {
    askedUnits.labelValues(session).inc(units);
    window.asked(session, units, now);
  }

  @Override
  public void served(String session, double units, Instant now) {
    serviceUnits.labelValues(session).inc(units);
    window.served(session, units, now);
  }

  @Override
  public void deviceBusy(String deviceId, double seconds) {
    deviceBusySeconds.labelValues(deviceId).inc(seconds);
  }

  @Override
  public void refused(Refusal.Reason reason) {
    refusals.labelValues(reason.name()).inc();
  }
}
