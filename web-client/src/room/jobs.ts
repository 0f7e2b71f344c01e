import type { AiJobEvent } from '../gen/roomtone/v1/room_pb';
import type { ReadableError } from '../protocol/envelope';

/** An AI request as the panel shows it, from the moment it is sent to its last event. */
export interface Job {
  requestId: bigint;
  jobId: string;
  task: string;
  instruction: string;
  excerpt: string;
  requester: string;
  status: 'sending' | 'queued' | 'running' | 'finished' | 'failed' | 'cancelled' | 'refused';
  position: number;
  text: string;
  detail: string;
  model: string;
  /** Who cancelled it (member id), when cancelled. */
  cancelledBy: string;
  /** The suggestion it ended as, when finished: the card follows that suggestion's fate. */
  suggestionId: string;
}

const DONE: ReadonlySet<Job['status']> = new Set(['finished', 'failed', 'cancelled', 'refused']);

/**
 * Applies one AiJobEvent to the list (newest first). The first event of our own request carries
 * its request id, which ties the server's job id to the card made when it was sent; events of
 * other members' jobs make cards of their own. Events after the end of a job are ignored.
 */
export function applyJobEvent(jobs: Job[], e: AiJobEvent, requestId: bigint): Job {
  let job = jobs.find((j) => j.jobId !== '' && j.jobId === e.jobId)
    ?? (requestId ? jobs.find((j) => j.requestId === requestId && j.jobId === '') : undefined);
  if (!job) {
    job = { requestId, jobId: e.jobId, task: '', instruction: '', excerpt: '', requester: e.requesterMemberId, status: 'queued',
      position: 0, text: '', detail: '', model: '', cancelledBy: '', suggestionId: '' };
    jobs.unshift(job);
  }
  job.jobId = e.jobId;
  if (!job.task) job.task = e.task;
  if (DONE.has(job.status)) return job;
  switch (e.event.case) {
    case 'queued': job.status = 'queued'; job.position = e.event.value.position; break;
    case 'started': job.status = 'running'; job.model = e.event.value.model; break;
    case 'delta': job.status = 'running'; job.text += e.event.value.text; break;
    case 'finished': job.status = 'finished'; job.suggestionId = e.event.value.suggestionId; break;
    case 'failed': job.status = 'failed'; job.detail = e.event.value.reason || 'The job failed.'; break;
    case 'cancelled': job.status = 'cancelled'; job.cancelledBy = e.event.value.byMemberId; break;
    default: break;
  }
  return job;
}

/** The server accepted our request as job {@code jobId}: its events carry that id from now on. */
export function applyAccepted(jobs: Job[], jobId: string, requestId: bigint): Job | undefined {
  const job = jobs.find((j) => j.requestId === requestId && j.jobId === '');
  if (job) {
    job.jobId = jobId;
    if (job.status === 'sending') job.status = 'queued';
  }
  return job;
}

/** The server refused the request itself (not available, not allowed, …): the card says why. */
export function applyRefusal(jobs: Job[], error: ReadableError, requestId: bigint): Job | undefined {
  const job = requestId ? jobs.find((j) => j.requestId === requestId) : undefined;
  if (job && !DONE.has(job.status)) {
    job.status = 'refused';
    job.detail = error.detail;
  }
  return job;
}

/** Whether the card may be dismissed: it ended without a suggestion to follow. */
export function dismissible(job: Job): boolean {
  return job.status === 'failed' || job.status === 'refused' || job.status === 'cancelled';
}

/** Removes a card from this browser's list only; the room's record is not touched. */
export function dismiss(jobs: Job[], job: Job): void {
  const i = jobs.indexOf(job);
  if (i >= 0 && dismissible(job)) jobs.splice(i, 1);
}
