package dev.roomtone.actors.ai;

/**
 * Runs a room's AI jobs: the room decides who may ask and what the job is about; the assistant
 * (the server's scheduler and model backends) runs it and reports back. The room turns a finished
 * job into a suggestion.
 */
public interface AiAssistant {

  /**
   * A request the room accepted. {@code selection} is the text between the anchors when the request
   * arrived, {@code selectionStart} its index in {@code script} (the whole script, as Fountain);
   * {@code bible} is the room's story bible (the document's shared map "bible", entries as text).
   */
  record Job(String roomId, String jobId, String memberId, String task, String instruction, String model, int variants,
             String script, int selectionStart, String selection, java.util.Map<String, String> bible) {
    public Job {
      bible = java.util.Map.copyOf(bible);
    }
  }

  /** What a finished job proposes: text, or an image asset (a content address under the room's assets). */
  record Proposal(String text, String imageAsset, String model, String backend) {
  }

  /**
   * How a job reports, in order: {@code queued} (again whenever its position changes), {@code started},
   * {@code delta}s, then exactly one of {@code finished}, {@code failed} or {@code cancelled}. Calls may
   * come from any thread.
   */
  interface Events {
    void queued(int position);

    void started(String device, String model);

    void delta(String text);

    void finished(Proposal proposal);

    void failed(String reason);

    void cancelled(String byMemberId);
  }

  void submit(Job job, Events events);

  /** Whether jobs can run at all: false for a server with no model configured. */
  default boolean available() {
    return true;
  }

  /** Stops a job if it has not ended; it then reports {@code cancelled}. */
  void cancel(String roomId, String jobId, String byMemberId);

  /** For servers without any model configured: every job fails at once, saying so. */
  static AiAssistant unavailable() {
    return new AiAssistant() {
      @Override
      public boolean available() {
        return false;
      }

      @Override
      public void submit(Job job, Events events) {
        events.failed("AI assistance is not configured on this server; ask the operator to set up a model.");
      }

      @Override
      public void cancel(String roomId, String jobId, String byMemberId) {
        // nothing runs
      }
    };
  }
}
