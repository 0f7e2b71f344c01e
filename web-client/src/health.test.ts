import { describe, expect, it } from 'vitest';
import { describeHealth, describeUnreachable } from './health';

describe('describeHealth', () => {
  it('shows a running server with its version', () => {
    expect(describeHealth({ status: 'ok', version: '0.1.0-SNAPSHOT' })).toEqual({
      state: 'ok',
      text: 'Server is running · version 0.1.0-SNAPSHOT',
    });
  });

  it('leaves the version out when the server does not send one', () => {
    expect(describeHealth({ status: 'ok' })).toEqual({ state: 'ok', text: 'Server is running' });
  });

  it('reports any status other than ok as down', () => {
    expect(describeHealth({ status: 'starting' })).toEqual({
      state: 'down',
      text: 'Server reports "starting"',
    });
  });

  it('does not trust a body that is not an object', () => {
    expect(describeHealth('ok').state).toBe('down');
    expect(describeHealth(null).state).toBe('down');
  });
});

describe('describeUnreachable', () => {
  it('says why the server could not be asked', () => {
    expect(describeUnreachable('HTTP 502')).toEqual({
      state: 'down',
      text: 'Server unreachable: HTTP 502',
    });
  });
});
