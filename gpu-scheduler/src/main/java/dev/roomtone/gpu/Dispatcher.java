package dev.roomtone.gpu;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * Every decision of the scheduler, free of threads and clocks: what is admitted or refused, what
 * runs next and where, what is cancelled, re-queued or failed. The caller passes the current
 * time into each call, so the same code runs under actors and in simulated time.
 *
 * <p>Placement admits a job only where its memory (and its model's, unless resident) fits,
 * prefers a device where the model is resident and unloads idle models oldest first. When the
 * job the policy wants next fits nowhere, the next one in fairness order that fits runs instead
 * (no device idles while a job that fits it waits), and one device is held back from new work
 * until it drains, so the large job gets its turn.
 */
public final class Dispatcher {

  /** The answer to a submission. */
  public sealed interface Submitted {
    record Accepted(String jobId) implements Submitted {
    }

    record Refused(String jobId, Refusal refusal) implements Submitted {
    }
  }

  /** Run this job on this device; unload the named idle models first, load the model if asked. */
  public record Assignment(JobSpec job, String deviceId, int attempt, boolean loadModel, List<String> unloadModels) {
  }

  /** A job that was running and must be stopped on its device. */
  public record StopOrder(String jobId, String deviceId) {
  }

  /** Hears every lifecycle event, with the job it concerns. */
  @FunctionalInterface
  public interface Listener {
    Listener NONE = (job, event) -> { };

    void on(JobSpec job, JobEvent event);
  }

  private static final class Resident {
    final long bytes;
    int users;
    Instant lastUsed;

    Resident(long bytes, Instant lastUsed) {
      this.bytes = bytes;
      this.lastUsed = lastUsed;
    }
  }

  private static final class DeviceState {
    final PoolDevice device;
    final LinkedHashMap<String, Resident> models = new LinkedHashMap<>();
    int running;
    long jobMemory;
    long modelMemory;
    boolean removed;
    Instant busySince;
    double busySeconds;

    DeviceState(PoolDevice device) {
      this.device = device;
    }

    long free() {
      return device.memoryBytes() - jobMemory - modelMemory;
    }

    boolean hasSlot() {
      return !removed && running < device.slots();
    }
  }

  private record Placement(DeviceState device, boolean load, List<String> unload) {
  }

  private record Deadline(Instant at, QueuedJob job) {
  }

  private final SchedulerSettings settings;
  private final ModelCatalog models;
  private final Listener listener;
  private final SchedulerMetrics metrics;
  private final FairQueue queue;
  private final List<DeviceState> devices = new ArrayList<>();
  private final Map<String, DeviceState> deviceById = new HashMap<>();
  private final Map<String, QueuedJob> jobs = new HashMap<>();
  private final PriorityQueue<Deadline> deadlines = new PriorityQueue<>(Comparator.comparing(Deadline::at));
  private final Map<String, Double> service = new HashMap<>();
  private long seq;
  private int freeSlots;
  private long dispatches;
  private QueuedJob reservedJob;
  private DeviceState reservedDevice;
  private Placement lastPlacement;

  public Dispatcher(SchedulerSettings settings, ModelCatalog models, List<PoolDevice> pool,
                    Listener listener, SchedulerMetrics metrics) {
    this.settings = settings;
    this.models = models;
    this.listener = listener;
    this.metrics = metrics;
    this.queue = FairQueue.of(settings);
    for (PoolDevice d : pool) {
      if (deviceById.containsKey(d.id())) {
        throw new IllegalArgumentException("two devices named " + d.id());
      }
      DeviceState s = new DeviceState(d);
      devices.add(s);
      deviceById.put(d.id(), s);
      freeSlots += d.slots();
    }
  }

  public Submitted submit(JobSpec spec, Instant now) {
    Refusal refusal = check(spec, now);
    if (refusal != null) {
      metrics.refused(refusal.reason());
      return new Submitted.Refused(spec.id(), refusal);
    }
    QueuedJob job = new QueuedJob(spec, seq++, models.memoryOf(spec.model()).orElseThrow(), now);
    jobs.put(spec.id(), job);
    queue.add(job);
    if (spec.deadline() != null) {
      deadlines.add(new Deadline(spec.deadline(), job));
    }
    metrics.asked(spec.session(), settings.costWeights().units(spec.estimate()), now);
    metrics.queueLength(spec.session(), queue.size(spec.session()));
    return new Submitted.Accepted(spec.id());
  }

  private Refusal check(JobSpec spec, Instant now) {
    if (jobs.containsKey(spec.id())) {
      return new Refusal(Refusal.Reason.DUPLICATE_ID, "A job with id " + spec.id() + " is already queued or running.");
    }
    var modelMemory = models.memoryOf(spec.model());
    if (modelMemory.isEmpty()) {
      return new Refusal(Refusal.Reason.UNKNOWN_MODEL, "No model named '" + spec.model() + "' is configured; known: "
          + String.join(", ", models.memoryBytes().keySet().stream().sorted().toList()) + ".");
    }
    long need = modelMemory.get() + spec.memoryBytes();
    if (largestDevice() < need) {
      return new Refusal(Refusal.Reason.FITS_NO_DEVICE, "The job needs " + mib(need) + " (model " + spec.model()
          + " and its working memory) but the largest device has " + mib(largestDevice()) + ".");
    }
    if (spec.deadline() != null && !spec.deadline().isAfter(now)) {
      return new Refusal(Refusal.Reason.DEADLINE_PASSED, "The job's deadline " + spec.deadline() + " has already passed.");
    }
    if (queue.size(spec.session()) >= settings.sessionQueueLimit()) {
      return new Refusal(Refusal.Reason.SESSION_QUEUE_FULL, "This room already has " + settings.sessionQueueLimit()
          + " jobs waiting, the most allowed; try again when one has finished.");
    }
    if (queue.size() >= settings.queueLimit()) {
      return new Refusal(Refusal.Reason.QUEUE_FULL, "The server's queue is full (" + settings.queueLimit()
          + " jobs waiting); try again shortly.");
    }
    return null;
  }

  private long largestDevice() {
    long max = 0;
    for (DeviceState d : devices) {
      if (!d.removed) {
        max = Math.max(max, d.device.memoryBytes());
      }
    }
    return max;
  }

  private static String mib(long bytes) {
    return (bytes >> 20) + " MiB";
  }

  /** Starts as many waiting jobs as the devices take now. */
  public List<Assignment> dispatch(Instant now) {
    List<Assignment> out = new ArrayList<>();
    while (freeSlots > 0 && queue.size() > 0) {
      if (reservedJob != null && (lastPlacement = place(reservedJob)) != null) {
        out.add(start(reservedJob, lastPlacement, now));
        continue;
      }
      QueuedJob head = queue.head();
      if ((lastPlacement = place(head)) != null) {
        out.add(start(head, lastPlacement, now));
        continue;
      }
      if (reservedJob == null && !reserveFor(head, now)) {
        continue; // the head could never fit any more and was failed
      }
      QueuedJob other = queue.find(j -> j != reservedJob && (lastPlacement = place(j)) != null);
      if (other == null) {
        break;
      }
      out.add(start(other, lastPlacement, now));
    }
    return out;
  }

  // Holds back the device that would fit the job soonest: the one with the least job memory in
  // use among those that could hold it empty.
  private boolean reserveFor(QueuedJob job, Instant now) {
    long need = job.modelMemory + job.spec.memoryBytes();
    DeviceState best = null;
    for (DeviceState d : devices) {
      if (!d.removed && d.device.memoryBytes() >= need && (best == null || d.jobMemory < best.jobMemory)) {
        best = d;
      }
    }
    if (best == null) {
      end(job, now);
      listener.on(job.spec, new JobEvent.Failed(job.spec.id(),
          "No remaining device can hold the job (" + mib(need) + "): devices left the pool."));
      return false;
    }
    reservedJob = job;
    reservedDevice = best;
    return true;
  }

  private Placement place(QueuedJob job) {
    DeviceState best = null;
    int bestRank = Integer.MAX_VALUE;
    for (DeviceState d : devices) {
      if (!d.hasSlot() || (d == reservedDevice && job != reservedJob)) {
        continue;
      }
      Resident r = d.models.get(job.spec.model());
      long need = job.spec.memoryBytes() + (r == null ? job.modelMemory : 0);
      int rank;
      if (d.free() >= need) {
        rank = r != null ? 0 : 1;
      } else if (d.free() + evictable(d, job.spec.model()) >= need) {
        rank = 2;
      } else {
        continue;
      }
      // among equals, spread the load: fewer running jobs, then more free memory
      if (best == null || rank < bestRank
          || (rank == bestRank && (d.running < best.running || (d.running == best.running && d.free() > best.free())))) {
        best = d;
        bestRank = rank;
      }
    }
    if (best == null) {
      return null;
    }
    boolean load = !best.models.containsKey(job.spec.model());
    List<String> unload = List.of();
    long need = job.spec.memoryBytes() + (load ? job.modelMemory : 0);
    if (best.free() < need) {
      List<Map.Entry<String, Resident>> idle = new ArrayList<>();
      for (var e : best.models.entrySet()) {
        if (e.getValue().users == 0 && !e.getKey().equals(job.spec.model())) {
          idle.add(e);
        }
      }
      idle.sort(Comparator.comparing(e -> e.getValue().lastUsed));
      unload = new ArrayList<>();
      long free = best.free();
      for (var e : idle) {
        if (free >= need) {
          break;
        }
        unload.add(e.getKey());
        free += e.getValue().bytes;
      }
    }
    return new Placement(best, load, unload);
  }

  private static long evictable(DeviceState d, String keep) {
    long bytes = 0;
    for (var e : d.models.entrySet()) {
      if (e.getValue().users == 0 && !e.getKey().equals(keep)) {
        bytes += e.getValue().bytes;
      }
    }
    return bytes;
  }

  private Assignment start(QueuedJob job, Placement p, Instant now) {
    if (queue instanceof VtcQueue vtc) {
      vtc.served(job);
    }
    // charged before leaving the queue, so a session that empties leaves with its true counter
    deliver(job, settings.costWeights().atStart(job.spec.estimate()), now);
    queue.remove(job);
    if (job == reservedJob) {
      reservedJob = null;
      reservedDevice = null;
    }
    DeviceState d = p.device();
    for (String m : p.unload()) {
      d.modelMemory -= d.models.remove(m).bytes;
    }
    Resident r = d.models.get(job.spec.model());
    if (r == null) {
      r = new Resident(job.modelMemory, now);
      d.models.put(job.spec.model(), r);
      d.modelMemory += r.bytes;
    }
    r.users++;
    r.lastUsed = now;
    if (d.running++ == 0) {
      d.busySince = now;
    }
    d.jobMemory += job.spec.memoryBytes();
    freeSlots--;
    job.deviceId = d.device.id();
    job.attempts++;
    dispatches++;
    metrics.queueLength(job.spec.session(), queue.size(job.spec.session()));
    metrics.waited(job.spec.session(), seconds(job.queuedAt, now));
    listener.on(job.spec, new JobEvent.Started(job.spec.id(), d.device.id()));
    return new Assignment(job.spec, d.device.id(), job.attempts, p.load(), p.unload());
  }

  private static double seconds(Instant from, Instant to) {
    return Duration.between(from, to).toNanos() / 1e9;
  }

  private void deliver(QueuedJob job, double units, Instant now) {
    if (units <= 0) {
      return;
    }
    queue.charge(job.spec.session(), job.spec.member(), job.spec.weight(), units);
    service.merge(job.spec.session(), units, Double::sum);
    metrics.served(job.spec.session(), units, now);
  }

  /** Work delivered by a running job; charged to its session and member now. */
  public void progress(String jobId, int attempt, Cost delivered, Instant now) {
    QueuedJob job = runningJob(jobId, attempt);
    if (job != null) {
      deliver(job, settings.costWeights().units(delivered), now);
      listener.on(job.spec, new JobEvent.Progress(jobId, delivered));
    }
  }

  public void finished(String jobId, int attempt, Instant now) {
    QueuedJob job = runningJob(jobId, attempt);
    if (job != null) {
      release(job, now);
      end(job, now);
      listener.on(job.spec, new JobEvent.Finished(jobId));
    }
  }

  /** The job itself failed (bad input, model error): no second try. */
  public void failed(String jobId, int attempt, String reason, Instant now) {
    QueuedJob job = runningJob(jobId, attempt);
    if (job != null) {
      release(job, now);
      end(job, now);
      listener.on(job.spec, new JobEvent.Failed(jobId, reason));
    }
  }

  /** The job's run was lost with its worker: it goes back to the queue once, fails the second time. */
  public void lost(String jobId, int attempt, String reason, Instant now) {
    QueuedJob job = runningJob(jobId, attempt);
    if (job == null) {
      return;
    }
    release(job, now);
    if (job.attempts >= 2) {
      end(job, now);
      listener.on(job.spec, new JobEvent.Failed(jobId, "The job was lost twice with its device worker ("
          + reason + "); it is not tried again."));
      return;
    }
    job.queuedAt = now;
    job.lastPosition = 0;
    queue.requeue(job);
    metrics.queueLength(job.spec.session(), queue.size(job.spec.session()));
  }

  private QueuedJob runningJob(String jobId, int attempt) {
    QueuedJob job = jobs.get(jobId);
    return job != null && job.running() && job.attempts == attempt ? job : null;
  }

  private void release(QueuedJob job, Instant now) {
    DeviceState d = deviceById.get(job.deviceId);
    job.deviceId = null;
    d.jobMemory -= job.spec.memoryBytes();
    Resident r = d.models.get(job.spec.model());
    r.users--;
    r.lastUsed = now;
    if (--d.running == 0) {
      double busy = seconds(d.busySince, now);
      d.busySeconds += busy;
      metrics.deviceBusy(d.device.id(), busy);
    }
    if (!d.removed) {
      freeSlots++;
    }
  }

  private void end(QueuedJob job, Instant now) {
    jobs.remove(job.spec.id());
    if (queue.remove(job)) {
      metrics.queueLength(job.spec.session(), queue.size(job.spec.session()));
    }
    if (job == reservedJob) {
      reservedJob = null;
      reservedDevice = null;
    }
  }

  /**
   * Cancels a job, queued or running. Returns null when there is no such job; a stop order when
   * it was running (its worker must stop it); a stop order with no device when it was waiting.
   */
  public StopOrder cancel(String jobId, CancelledBy by, Instant now) {
    QueuedJob job = jobs.get(jobId);
    if (job == null) {
      return null;
    }
    String device = job.deviceId;
    if (job.running()) {
      release(job, now);
    }
    end(job, now);
    listener.on(job.spec, new JobEvent.Cancelled(jobId, by));
    return new StopOrder(jobId, device);
  }

  /** Cancels every job of a room session; returns those that were running. */
  public List<StopOrder> cancelSession(String session, CancelledBy by, Instant now) {
    List<String> ids = jobs.values().stream().filter(j -> j.spec.session().equals(session))
        .sorted(Comparator.comparingLong(j -> j.seq)).map(j -> j.spec.id()).toList();
    List<StopOrder> running = new ArrayList<>();
    for (String id : ids) {
      StopOrder o = cancel(id, by, now);
      if (o.deviceId() != null) {
        running.add(o);
      }
    }
    return running;
  }

  /** Cancels every job whose deadline has come; returns those that were running. */
  public List<StopOrder> expire(Instant now) {
    List<StopOrder> running = new ArrayList<>();
    while (!deadlines.isEmpty() && !deadlines.peek().at().isAfter(now)) {
      Deadline d = deadlines.poll();
      if (jobs.get(d.job().spec.id()) == d.job()) {
        StopOrder o = cancel(d.job().spec.id(), CancelledBy.DEADLINE, now);
        if (o.deviceId() != null) {
          running.add(o);
        }
      }
    }
    return running;
  }

  /** When the next deadline falls, or null. */
  public Instant nextDeadline() {
    while (!deadlines.isEmpty() && jobs.get(deadlines.peek().job().spec.id()) != deadlines.peek().job()) {
      deadlines.poll();
    }
    return deadlines.isEmpty() ? null : deadlines.peek().at();
  }

  /** A device leaves the pool (its worker kept crashing): what still ran there is lost. */
  public void removeDevice(String deviceId, String reason, Instant now) {
    DeviceState d = deviceById.get(deviceId);
    if (d == null || d.removed) {
      return;
    }
    for (QueuedJob j : new ArrayList<>(jobs.values())) {
      if (deviceId.equals(j.deviceId)) {
        lost(j.spec.id(), j.attempts, reason, now);
      }
    }
    d.removed = true;
    freeSlots -= d.device.slots() - d.running;
    if (reservedDevice == d) {
      reservedJob = null;
      reservedDevice = null;
    }
    // jobs that only that device could hold can never run now
    long largest = largestDevice();
    for (QueuedJob j : new ArrayList<>(jobs.values())) {
      if (!j.running() && j.modelMemory + j.spec.memoryBytes() > largest) {
        end(j, now);
        listener.on(j.spec, new JobEvent.Failed(j.spec.id(), "No remaining device can hold the job: device "
            + deviceId + " left the pool (" + reason + ")."));
      }
    }
  }

  /** Sends a queued event to every waiting job whose position changed since last time. */
  public void publishPositions() {
    int position = 0;
    for (QueuedJob j : queue.projectedOrder(settings.costWeights())) {
      position++;
      if (j.lastPosition != position) {
        j.lastPosition = position;
        listener.on(j.spec, new JobEvent.Queued(j.spec.id(), position));
      }
    }
  }

  /**
   * The work-conservation invariant: null when it holds, otherwise which device sits idle while
   * which waiting job would fit on it.
   */
  public String idleDeviceWithFittingJob() {
    for (DeviceState d : devices) {
      if (d.removed || d.running > 0) {
        continue;
      }
      for (QueuedJob j : jobs.values()) {
        if (j.running() || (d == reservedDevice && j != reservedJob)) {
          continue;
        }
        long need = j.spec.memoryBytes() + (d.models.containsKey(j.spec.model()) ? 0 : j.modelMemory);
        if (d.free() + evictable(d, j.spec.model()) >= need) {
          return "device " + d.device.id() + " idles while job " + j.spec.id() + " fits it";
        }
      }
    }
    return null;
  }

  public int queued() {
    return queue.size();
  }

  public int queued(String session) {
    return queue.size(session);
  }

  public int running() {
    int n = 0;
    for (DeviceState d : devices) {
      n += d.running;
    }
    return n;
  }

  public long dispatches() {
    return dispatches;
  }

  /** Service delivered to each session so far, in units. */
  public Map<String, Double> service() {
    return Map.copyOf(service);
  }

  public double busySeconds(String deviceId) {
    return deviceById.get(deviceId).busySeconds;
  }

  /** Whether the job is known (waiting or running). */
  public boolean knows(String jobId) {
    return jobs.containsKey(jobId);
  }

  /** The device a job runs on, or null when it waits or is unknown. */
  public String deviceOf(String jobId) {
    QueuedJob j = jobs.get(jobId);
    return j == null ? null : j.deviceId;
  }

  /** The attempt number of a running job (1 for the first run). */
  public int attemptOf(String jobId) {
    QueuedJob j = jobs.get(jobId);
    return j == null ? 0 : j.attempts;
  }

  /** The models resident on a device, oldest use first. */
  public List<String> residentModels(String deviceId) {
    return List.copyOf(deviceById.get(deviceId).models.keySet());
  }

  /** The job waiting for a device to drain, or null. */
  public String reservedJob() {
    return reservedJob == null ? null : reservedJob.spec.id();
  }

  /** The policy's counter of a session (VTC only; 0 under FCFS). */
  public double counter(String session) {
    return queue instanceof VtcQueue vtc ? vtc.counter(session) : 0;
  }

  /** The sessions that have jobs waiting. */
  public List<String> backloggedSessions() {
    return jobs.values().stream().filter(j -> !j.running()).map(j -> j.spec.session()).distinct().sorted().toList();
  }

  public SchedulerSettings settings() {
    return settings;
  }
}
