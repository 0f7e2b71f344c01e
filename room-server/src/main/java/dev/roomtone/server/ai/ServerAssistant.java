package dev.roomtone.server.ai;

import dev.roomtone.actors.ai.AiAssistant;
import dev.roomtone.gpu.CancelledBy;
import dev.roomtone.gpu.Cost;
import dev.roomtone.gpu.Dispatcher;
import dev.roomtone.gpu.JobEvent;
import dev.roomtone.gpu.JobExecutor;
import dev.roomtone.gpu.JobSpec;
import dev.roomtone.gpu.ModelCatalog;
import dev.roomtone.gpu.Policy;
import dev.roomtone.gpu.PoolDevice;
import dev.roomtone.gpu.Scheduler;
import dev.roomtone.gpu.SchedulerMetrics;
import dev.roomtone.gpu.SchedulerSettings;
import dev.roomtone.multimodal.backend.BackendException;
import dev.roomtone.multimodal.backend.Cancellation;
import dev.roomtone.multimodal.backend.ImageBackend;
import dev.roomtone.multimodal.backend.TextBackend;
import dev.roomtone.multimodal.tasks.ContextAssembler;
import dev.roomtone.multimodal.tasks.ScreenwritingTask;
import dev.roomtone.multimodal.tasks.TaskContext;
import dev.roomtone.multimodal.tasks.TaskPrompts;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.ToIntFunction;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rooms' AI, as the server runs it: a request becomes a prompt from the task's template and the
 * script around the selection, then a job for the GPU scheduler, which shares the devices fairly
 * between rooms (VTC); the scheduler's worker runs it on the model's backend and the tokens stream
 * back to the room as they come.
 */
public final class ServerAssistant implements AiAssistant, JobExecutor {

  private static final Logger LOG = LoggerFactory.getLogger(ServerAssistant.class);

  /**
   * A language model the server offers, and the device it runs on: {@code slots} jobs at once
   * (1 for the in-process engine; a model server takes several). {@code memoryBytes} is what the
   * model takes there (weights and KV cache), {@code deviceMemoryBytes} what the device has, as
   * discovery found it; 0 when unknown (a model server's own machine).
   */
  public record TextModel(String name, TextBackend backend, ToIntFunction<String> tokens, int contextTokens,
                          long memoryBytes, String deviceId, int slots, long deviceMemoryBytes) {
  }

  /** Tokens reserved for the template's own words around the context. */
  private static final int TEMPLATE_TOKENS = 300;

  private final Map<String, TextModel> models;
  private final ImageBackend images;
  private final AssetStore assets;
  private final TaskPrompts prompts = new TaskPrompts();
  private final Map<String, Running> jobs = new ConcurrentHashMap<>();
  /** Rooms and jobs in the order their runs started (bounded): what the scheduler decided. */
  private final java.util.Deque<String> started = new java.util.concurrent.ConcurrentLinkedDeque<>();
  private ActorRef<Scheduler.Command> scheduler;
  private ActorRef<JobEvent> eventRelay;
  private ActorRef<Dispatcher.Submitted> submitRelay;
  private ActorRef<Boolean> cancelReplies;

  private static final class Running {
    final AiAssistant.Job job;
    final AiAssistant.Events events;
    final TextModel model;
    final TextBackend.Request request;
    final Cancellation cancellation = new Cancellation();
    volatile TextBackend.Result result;
    volatile String imageAsset;
    volatile String cancelledBy = "";
    /** Whether the room has heard a queue position yet. */
    boolean positionTold;

    Running(AiAssistant.Job job, AiAssistant.Events events, TextModel model, TextBackend.Request request) {
      this.job = job;
      this.events = events;
      this.model = model;
      this.request = request;
    }
  }

  private ServerAssistant(List<TextModel> models, ImageBackend images, AssetStore assets) {
    this.images = images;
    this.assets = assets;
    Map<String, TextModel> byName = new LinkedHashMap<>();
    models.forEach(m -> byName.put(m.name(), m));
    this.models = byName;
  }

  /**
   * Starts the scheduler for {@code models} as children of {@code ctx} (the server's guardian);
   * {@code images} (may be null) draws storyboard frames into {@code assets}.
   */
  public static ServerAssistant start(ActorContext<?> ctx, List<TextModel> models, ImageBackend images, AssetStore assets,
                                      Clock clock, SchedulerMetrics metrics) {
    ServerAssistant a = new ServerAssistant(models, images, assets);
    Map<String, Long> memory = new LinkedHashMap<>();
    Map<String, PoolDevice> devices = new LinkedHashMap<>();
    for (TextModel m : models) {
      memory.put(m.name(), m.memoryBytes());
      // a device discovery measured is admitted by its real memory; a model server's machine is
      // unknown here, so it gets room for the model and one job's working memory per slot
      long need = m.deviceMemoryBytes() > 0 ? m.deviceMemoryBytes() : Math.max(1, m.memoryBytes()) * (1 + m.slots());
      devices.merge(m.deviceId(), new PoolDevice(m.deviceId(), need, m.slots()),
          (a1, b) -> new PoolDevice(a1.id(), a1.memoryBytes() + b.memoryBytes(), Math.max(a1.slots(), b.slots())));
    }
    a.scheduler = ctx.spawn(Scheduler.create(SchedulerSettings.defaults(Policy.VTC), new ModelCatalog(memory), List.copyOf(devices.values()), a,
        metrics, clock, Scheduler.Options.DEFAULT), "scheduler");
    a.eventRelay = ctx.spawn(Behaviors.receiveMessage((JobEvent e) -> {
      a.onJobEvent(e);
      return Behaviors.same();
    }), "ai-job-events");
    a.submitRelay = ctx.spawn(Behaviors.receiveMessage((Dispatcher.Submitted s) -> {
      if (s instanceof Dispatcher.Submitted.Refused no) {
        Running r = a.jobs.remove(no.jobId());
        if (r != null) {
          r.events.failed("The job was not queued: " + no.refusal().message());
        }
      }
      return Behaviors.same();
    }), "ai-submissions");
    a.cancelReplies = ctx.spawn(Behaviors.ignore(), "ai-cancel-replies");
    return a;
  }

  /** "room/job" of the most recent runs, oldest first, in the order the scheduler started them. */
  public List<String> startOrder() {
    return List.copyOf(started);
  }

  /** The models this server offers, by name. */
  public List<String> modelNames() {
    return List.copyOf(models.keySet());
  }

  @Override
  public void submit(AiAssistant.Job job, AiAssistant.Events events) {
    ScreenwritingTask task = ScreenwritingTask.byId(job.task()).orElse(null);
    if (task == null) {
      events.failed("There is no task \"" + job.task() + "\". Tasks: "
          + String.join(", ", java.util.Arrays.stream(ScreenwritingTask.values()).map(ScreenwritingTask::id).toList()) + ".");
      return;
    }
    if (task.makesImage() && images == null) {
      events.failed("Storyboard frames need an image server, and none is configured on this server.");
      return;
    }
    TextModel model = job.model().isBlank() ? models.values().iterator().next() : models.get(job.model());
    if (model == null) {
      events.failed("This server has no model named \"" + job.model() + "\"; it offers " + String.join(", ", models.keySet()) + ".");
      return;
    }
    TaskContext context;
    try {
      context = new ContextAssembler(model.tokens()).assemble(job.script(), job.selectionStart(), job.selection(), job.bible(),
          job.instruction(), job.variants(), ContextAssembler.budget(task, model.contextTokens(), TEMPLATE_TOKENS));
    } catch (ContextAssembler.TooLongException e) {
      events.failed(e.getMessage());
      return;
    }
    List<TextBackend.ChatMessage> messages = prompts.messages(task, context);
    int promptTokens = messages.stream().mapToInt(m -> model.tokens().applyAsInt(m.content())).sum();
    TextBackend.Request request = new TextBackend.Request(model.name(), messages, task.maxTokens(), 0.8, 0.95, List.of(), null);
    jobs.put(job.jobId(), new Running(job, events, model, request));
    JobSpec spec = JobSpec.of(job.jobId(), job.roomId(), job.memberId(), model.name(),
        new Cost.Text(promptTokens, task.maxTokens()), 0);
    scheduler.tell(new Scheduler.Submit(spec, eventRelay, submitRelay));
  }

  @Override
  public void cancel(String roomId, String jobId, String byMemberId) {
    Running r = jobs.get(jobId);
    if (r != null) {
      r.cancelledBy = byMemberId;
      r.cancellation.cancel("cancelled");
      scheduler.tell(new Scheduler.Cancel(jobId, byMemberId.isEmpty() ? CancelledBy.ROOM : CancelledBy.REQUESTER,
          cancelReplies));
    }
  }

  private void onJobEvent(JobEvent e) {
    Running r = jobs.get(e.jobId());
    if (r == null) {
      return;
    }
    switch (e) {
      case JobEvent.Queued q -> {
        r.positionTold = true;
        r.events.queued(q.position() - 1); // the scheduler counts from 1, the protocol from 0
      }
      case JobEvent.Started s -> {
        if (!r.positionTold) {
          // started at once, before the scheduler published positions: it was next to run
          r.positionTold = true;
          r.events.queued(0);
        }
        r.events.started(s.deviceId(), r.model.name());
      }
      case JobEvent.Progress p -> {
        // tokens already streamed by the executor
      }
      case JobEvent.Finished f -> {
        jobs.remove(e.jobId());
        TextBackend.Result result = r.result;
        r.events.finished(r.imageAsset != null
            // the description stays with the frame; approving a frame never writes into the script
            ? new Proposal(result == null ? "" : result.text().strip(), r.imageAsset, r.model.name(), images.describe())
            : new Proposal(result == null ? "" : result.text().strip(), null, r.model.name(), r.model.backend().describe()));
      }
      case JobEvent.Failed f -> {
        jobs.remove(e.jobId());
        r.events.failed(f.reason());
      }
      case JobEvent.Cancelled c -> {
        jobs.remove(e.jobId());
        r.events.cancelled(r.cancelledBy);
      }
    }
  }

  /** The scheduler's worker runs a job: generate on the model's backend, streaming to the room. */
  @Override
  public Run start(Dispatcher.Assignment assignment, Consumer<Cost> progress) {
    Running r = jobs.get(assignment.job().id());
    CompletableFuture<Void> done = new CompletableFuture<>();
    if (r == null) {
      done.completeExceptionally(new IllegalStateException("the job was withdrawn"));
      return run(done, null);
    }
    started.addLast(r.job.roomId() + "/" + r.job.jobId());
    while (started.size() > 1_000) {
      started.pollFirst();
    }
    Thread.ofVirtual().name("ai-job-" + r.job.jobId()).start(() -> {
      try {
        r.result = r.model.backend().generate(r.request, delta -> {
          r.events.delta(delta);
          progress.accept(new Cost.Text(0, 1));
        }, r.cancellation);
        if (ScreenwritingTask.byId(r.job.task()).orElseThrow().makesImage()) {
          // the language model described the frame; the image server draws it
          ImageBackend.Image image = images.generate(new ImageBackend.Request(r.result.text().strip()
              + ", storyboard frame, film still", "text, watermark, caption", 768, 432, 24, 6.5, null), p -> { }, r.cancellation);
          r.imageAsset = assets.put(r.job.roomId(), image.bytes(), image.mediaType());
        }
        done.complete(null);
      } catch (BackendException e) {
        if (e.kind() != BackendException.Kind.CANCELLED) {
          // the room hears what went wrong; where, and what the server said, is for the operator alone
          LOG.warn("AI job {} of room {} on model {} failed ({}): {}", r.job.jobId(), r.job.roomId(), r.model.name(),
              e.kind(), e.detail());
        }
        done.completeExceptionally(new IllegalStateException(e.getMessage(), e));
      } catch (java.io.IOException e) {
        // the exception names files on the server: the operator's to read, not the room's
        LOG.warn("AI job {} of room {}: the frame could not be stored", r.job.jobId(), r.job.roomId(), e);
        done.completeExceptionally(new IllegalStateException(
            "The frame could not be stored on the server; the operator can see the details in the server log.", e));
      } catch (RuntimeException e) {
        LOG.warn("AI job {} of room {} on model {} failed", r.job.jobId(), r.job.roomId(), r.model.name(), e);
        done.completeExceptionally(new IllegalStateException(
            "The model failed while writing; the operator can see the details in the server log.", e));
      }
    });
    return run(done, r.cancellation);
  }

  private static Run run(CompletableFuture<Void> done, Cancellation cancellation) {
    return new Run() {
      @Override
      public CompletionStage<Void> done() {
        return done;
      }

      @Override
      public void cancel() {
        if (cancellation != null) {
          cancellation.cancel("stopped by the scheduler");
        }
      }
    };
  }
}
