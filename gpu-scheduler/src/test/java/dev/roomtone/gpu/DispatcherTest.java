package dev.roomtone.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DispatcherTest {

  static final long GIB = 1L << 30;
  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  final ModelCatalog catalog = new ModelCatalog(Map.of("small", 4 * GIB, "big", 30 * GIB, "other", 10 * GIB));
  final List<String> events = new ArrayList<>();
  final Dispatcher.Listener listener = (job, e) -> events.add(e.toString());

  Dispatcher dispatcher(SchedulerSettings settings, PoolDevice... devices) {
    return new Dispatcher(settings, catalog, List.of(devices), listener, SchedulerMetrics.NONE);
  }

  static JobSpec job(String id, String session, String model, long memory) {
    return JobSpec.of(id, session, session + "/m", model, new Cost.Text(100, 10), memory);
  }

  static Refusal refusal(Dispatcher.Submitted s) {
    return assertInstanceOf(Dispatcher.Submitted.Refused.class, s).refusal();
  }

  @Test
  void refusesEachKindOfBadSubmissionWithAReason() {
    Dispatcher d = dispatcher(SchedulerSettings.defaults(Policy.VTC).withLimits(2, 3), new PoolDevice("g", 32 * GIB, 1));
    assertInstanceOf(Dispatcher.Submitted.Accepted.class, d.submit(job("a", "s1", "small", GIB), T0));
    Refusal dup = refusal(d.submit(job("a", "s2", "small", GIB), T0));
    assertEquals(Refusal.Reason.DUPLICATE_ID, dup.reason());
    Refusal unknown = refusal(d.submit(job("b", "s1", "nope", GIB), T0));
    assertEquals(Refusal.Reason.UNKNOWN_MODEL, unknown.reason());
    assertTrue(unknown.message().contains("nope") && unknown.message().contains("small"), unknown.message());
    Refusal tooBig = refusal(d.submit(job("c", "s1", "big", 4 * GIB), T0));
    assertEquals(Refusal.Reason.FITS_NO_DEVICE, tooBig.reason());
    assertTrue(tooBig.message().contains("34816 MiB"), tooBig.message());
    Refusal late = refusal(d.submit(job("d", "s1", "small", GIB).withDeadline(T0), T0));
    assertEquals(Refusal.Reason.DEADLINE_PASSED, late.reason());
    assertInstanceOf(Dispatcher.Submitted.Accepted.class, d.submit(job("e", "s1", "small", GIB), T0));
    assertEquals(Refusal.Reason.SESSION_QUEUE_FULL, refusal(d.submit(job("f", "s1", "small", GIB), T0)).reason());
    assertInstanceOf(Dispatcher.Submitted.Accepted.class, d.submit(job("g", "s2", "small", GIB), T0));
    assertEquals(Refusal.Reason.QUEUE_FULL, refusal(d.submit(job("h", "s3", "small", GIB), T0)).reason());
    // refusals lose nothing: the three accepted jobs are all still there
    assertEquals(3, d.queued());
  }

  @Test
  void prefersTheDeviceWhereTheModelIsResidentAndUnloadsIdleModelsOldestFirst() {
    Dispatcher d = dispatcher(SchedulerSettings.defaults(Policy.VTC),
        new PoolDevice("g0", 16 * GIB, 2), new PoolDevice("g1", 16 * GIB, 2));
    d.submit(job("a", "s1", "other", GIB), T0);
    var first = d.dispatch(T0);
    assertEquals(1, first.size());
    String home = first.get(0).deviceId();
    assertTrue(first.get(0).loadModel());
    d.finished("a", 1, T0.plusSeconds(1));
    d.submit(job("b", "s1", "other", GIB), T0.plusSeconds(2));
    var second = d.dispatch(T0.plusSeconds(2));
    assertEquals(home, second.get(0).deviceId(), "the device with the model loaded is preferred");
    assertTrue(!second.get(0).loadModel());
    d.finished("b", 1, T0.plusSeconds(3));
    // 'small' fits beside 'other' (10 + 4 + 1 <= 16) ...
    d.submit(job("c", "s1", "small", GIB), T0.plusSeconds(4));
    d.finished("c", 1, T0.plusSeconds(5));
    d.dispatch(T0.plusSeconds(4));
    // ... a job needing 12 GiB on top of a fresh model forces unloading
    Dispatcher d2 = dispatcher(SchedulerSettings.defaults(Policy.VTC), new PoolDevice("g", 16 * GIB, 2));
    d2.submit(job("x", "s", "other", GIB), T0);
    d2.dispatch(T0);
    d2.finished("x", 1, T0.plusSeconds(1));
    d2.submit(job("y", "s", "small", GIB), T0.plusSeconds(2));
    d2.dispatch(T0.plusSeconds(2));
    d2.finished("y", 1, T0.plusSeconds(3));
    assertEquals(List.of("other", "small"), d2.residentModels("g"));
    d2.submit(job("z", "s", "small", 11 * GIB), T0.plusSeconds(4));
    var a = d2.dispatch(T0.plusSeconds(4));
    assertEquals(List.of("other"), a.get(0).unloadModels(), "the idle model used longest ago goes");
    assertEquals(List.of("small"), d2.residentModels("g"));
  }

  @Test
  void aJobThatFitsNowhereYetHoldsBackADeviceUntilItDrains() {
    Dispatcher d = dispatcher(SchedulerSettings.defaults(Policy.FCFS), new PoolDevice("g", 40 * GIB, 4));
    d.submit(job("s1", "a", "small", 2 * GIB), T0);
    d.dispatch(T0);
    d.submit(job("big", "b", "big", 8 * GIB), T0);  // 38 GiB: needs the device to itself
    d.submit(job("s2", "a", "small", 2 * GIB), T0);
    assertTrue(d.dispatch(T0).isEmpty(), "small jobs may not take the device the big job waits for");
    assertEquals("big", d.reservedJob());
    d.finished("s1", 1, T0.plusSeconds(1));
    var next = d.dispatch(T0.plusSeconds(1));
    assertEquals("big", next.get(0).job().id());
    assertEquals(List.of("small"), next.get(0).unloadModels());
    assertEquals("s2", d.reservedJob(), "now the small job waits for the memory the big one holds");
  }

  @Test
  void cancelsQueuedAndRunningJobsAndExpiresDeadlines() {
    Dispatcher d = dispatcher(SchedulerSettings.defaults(Policy.VTC), new PoolDevice("g", 32 * GIB, 1));
    d.submit(job("run", "s", "small", GIB), T0);
    d.submit(job("wait", "s", "small", GIB).withDeadline(T0.plusSeconds(5)), T0);
    d.submit(job("other", "t", "small", GIB), T0);
    d.dispatch(T0);
    assertEquals(new Dispatcher.StopOrder("run", "g"), d.cancel("run", CancelledBy.REQUESTER, T0));
    assertNull(d.cancel("run", CancelledBy.REQUESTER, T0), "a job ends once");
    d.dispatch(T0);  // 'wait' or 'other' takes the slot; the other one waits
    assertTrue(d.expire(T0.plusSeconds(4)).isEmpty());
    List<Dispatcher.StopOrder> expired = d.expire(T0.plusSeconds(5));
    assertTrue(events.contains(new JobEvent.Cancelled("wait", CancelledBy.DEADLINE).toString()), events.toString());
    assertEquals(!expired.isEmpty(), events.contains(new JobEvent.Started("wait", "g").toString()));
    assertTrue(events.contains(new JobEvent.Cancelled("run", CancelledBy.REQUESTER).toString()));
    d.cancelSession("t", CancelledBy.ROOM, T0.plusSeconds(6));
    assertTrue(events.contains(new JobEvent.Cancelled("other", CancelledBy.ROOM).toString()), events.toString());
    assertEquals(0, d.queued() + d.running());
  }

  @Test
  void aLostRunIsRequeuedOnceThenFailed() {
    Dispatcher d = dispatcher(SchedulerSettings.defaults(Policy.VTC), new PoolDevice("g", 32 * GIB, 1));
    d.submit(job("j", "s", "small", GIB), T0);
    assertEquals(1, d.dispatch(T0).get(0).attempt());
    d.lost("j", 1, "worker crashed", T0);
    assertEquals(1, d.queued());
    var again = d.dispatch(T0);
    assertEquals(2, again.get(0).attempt());
    d.finished("j", 1, T0);  // a late report of the first run changes nothing
    assertEquals(1, d.running());
    d.lost("j", 2, "worker crashed", T0);
    assertEquals(0, d.queued());
    assertEquals(0, d.running());
    assertTrue(events.get(events.size() - 1).startsWith("Failed[jobId=j, reason=The job was lost twice"), events.toString());
  }

  @Test
  void queuePositionsFollowTheFairOrderAndAreSentWhenTheyChange() {
    Dispatcher d = dispatcher(SchedulerSettings.defaults(Policy.VTC), new PoolDevice("g", 32 * GIB, 1));
    d.submit(job("a1", "a", "small", GIB), T0);
    d.submit(job("a2", "a", "small", GIB), T0);
    d.submit(job("a3", "a", "small", GIB), T0);
    d.dispatch(T0);
    d.submit(job("b1", "b", "small", GIB), T0);
    events.clear();
    d.publishPositions();
    // b has received nothing, a has: b's job goes first
    assertEquals(List.of("Queued[jobId=b1, position=1]", "Queued[jobId=a2, position=2]", "Queued[jobId=a3, position=3]"), events);
    events.clear();
    d.publishPositions();
    assertTrue(events.isEmpty(), "unchanged positions are not sent again");
  }
}
