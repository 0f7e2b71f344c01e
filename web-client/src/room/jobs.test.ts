import { describe, expect, it } from 'vitest';
import { create } from '@bufbuild/protobuf';
import { AiJobEventSchema, type AiJobEvent } from '../gen/roomtone/v1/room_pb';
import { decodeServer, encodeServer } from '../protocol/envelope';
import { applyAccepted, applyJobEvent, applyRefusal, dismiss, dismissible, type Job } from './jobs';

const sent = (requestId: bigint): Job => ({ requestId, jobId: '', task: 'punch_up', instruction: '', excerpt: 'We close at midnight.',
  requester: 'me', status: 'sending', position: 0, text: '', detail: '', model: '', cancelledBy: '', suggestionId: '' });

/** An event as it arrives: encoded by the server, decoded by the client. */
function event(jobId: string, body: AiJobEvent['event'], requester = 'me', task = 'punch_up'): AiJobEvent {
  const msg = decodeServer(encodeServer(0n, { case: 'aiJob', value: create(AiJobEventSchema, { jobId, requesterMemberId: requester, task, event: body }) }));
  if (msg.body.case !== 'aiJob') throw new Error('not an AI job event');
  return msg.body.value;
}

describe('AI job events', () => {
  it('follow our request from queue position to streamed text to a finished suggestion', () => {
    const jobs = [sent(7n)];
    applyJobEvent(jobs, event('j1', { case: 'queued', value: { position: 2 } } as AiJobEvent['event']), 7n);
    expect(jobs).toHaveLength(1);
    expect(jobs[0]).toMatchObject({ jobId: 'j1', status: 'queued', position: 2 });
    applyJobEvent(jobs, event('j1', { case: 'queued', value: { position: 0 } } as AiJobEvent['event']), 0n);
    expect(jobs[0].position).toBe(0);
    applyJobEvent(jobs, event('j1', { case: 'started', value: { device: 'gpu0', model: 'llama-3.1-8b' } } as AiJobEvent['event']), 0n);
    applyJobEvent(jobs, event('j1', { case: 'delta', value: { text: 'Kitchen\u2019s ' } } as AiJobEvent['event']), 0n);
    applyJobEvent(jobs, event('j1', { case: 'delta', value: { text: 'closed.' } } as AiJobEvent['event']), 0n);
    expect(jobs[0]).toMatchObject({ status: 'running', model: 'llama-3.1-8b', text: 'Kitchen\u2019s closed.' });
    applyJobEvent(jobs, event('j1', { case: 'finished', value: { suggestionId: 's1' } } as AiJobEvent['event']), 0n);
    expect(jobs[0]).toMatchObject({ status: 'finished', suggestionId: 's1' });
    // nothing moves a finished job back
    applyJobEvent(jobs, event('j1', { case: 'delta', value: { text: ' late' } } as AiJobEvent['event']), 0n);
    expect(jobs[0]).toMatchObject({ status: 'finished', text: 'Kitchen\u2019s closed.' });
  });

  it('shows another member\'s job as its own card and keeps ours apart', () => {
    const jobs = [sent(3n)];
    applyJobEvent(jobs, event('j9', { case: 'queued', value: { position: 0 } } as AiJobEvent['event'], 'ben', 'logline'), 0n);
    expect(jobs).toHaveLength(2);
    // named by its task, which the event carries, not as an anonymous "Request"
    expect(jobs[0]).toMatchObject({ jobId: 'j9', requester: 'ben', task: 'logline' });
    expect(jobs[1]).toMatchObject({ jobId: '', status: 'sending' });
  });

  it('records failure with its reason, and who cancelled', () => {
    const jobs = [sent(1n), sent(2n)];
    applyJobEvent(jobs, event('a', { case: 'failed', value: { reason: 'The model ran out of memory.' } } as AiJobEvent['event']), 1n);
    applyJobEvent(jobs, event('b', { case: 'cancelled', value: { byMemberId: 'maya' } } as AiJobEvent['event']), 2n);
    expect(jobs[0]).toMatchObject({ status: 'failed', detail: 'The model ran out of memory.' });
    expect(jobs[1]).toMatchObject({ status: 'cancelled', cancelledBy: 'maya' });
  });

  it('shows the server\'s refusal of the request on its card', () => {
    const jobs = [sent(5n)];
    const refused = applyRefusal(jobs, { code: 'FORBIDDEN', title: 'Not allowed', detail: 'Viewers cannot ask the AI in this room; the showrunner can allow it.', fatal: false }, 5n);
    expect(refused).toBe(jobs[0]);
    expect(jobs[0]).toMatchObject({ status: 'refused', detail: 'Viewers cannot ask the AI in this room; the showrunner can allow it.' });
    expect(applyRefusal(jobs, { code: 'FORBIDDEN', title: '', detail: 'x', fatal: false }, 99n)).toBeUndefined();
  });

  it('ties the job the server accepted to our card, so its events land there', () => {
    const jobs = [sent(4n)];
    expect(applyAccepted(jobs, 'j4', 4n)).toBe(jobs[0]);
    expect(jobs[0]).toMatchObject({ jobId: 'j4', status: 'queued' });
    applyJobEvent(jobs, event('j4', { case: 'failed', value: { reason: 'AI assistance is not configured on this server.' } } as AiJobEvent['event']), 0n);
    expect(jobs).toHaveLength(1);
    expect(jobs[0]).toMatchObject({ status: 'failed', detail: 'AI assistance is not configured on this server.' });
    expect(applyAccepted(jobs, 'other', 99n)).toBeUndefined();
  });

  it('lets a failed, refused or cancelled card be dismissed, but not one still running or finished', () => {
    const jobs = [sent(1n), sent(2n), sent(3n)];
    applyJobEvent(jobs, event('a', { case: 'failed', value: { reason: 'Out of memory.' } } as AiJobEvent['event']), 1n);
    applyJobEvent(jobs, event('b', { case: 'started', value: { device: 'cpu', model: 'm' } } as AiJobEvent['event']), 2n);
    applyJobEvent(jobs, event('c', { case: 'finished', value: { suggestionId: 's' } } as AiJobEvent['event']), 3n);
    const [failed, running, finished] = jobs;
    expect([failed, running, finished].map(dismissible)).toEqual([true, false, false]);
    dismiss(jobs, running);
    dismiss(jobs, finished);
    expect(jobs).toHaveLength(3);
    dismiss(jobs, failed);
    expect(jobs).toEqual([running, finished]);
  });
});
