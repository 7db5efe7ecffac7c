import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildListQueryString, checkListQuery, formatServerTime } from '../../src/dashscope/list-query.js';

describe('formatServerTime', () => {
  it('formats YYYYMMDDhhmmss in UTC+8 (the server clock)', () => {
    assert.equal(formatServerTime(new Date('2026-03-20T01:02:03Z')), '20260320090203');
    // 16:30 UTC is already the next day in Beijing.
    assert.equal(formatServerTime(new Date('2025-12-31T16:30:05.999Z')), '20260101003005');
  });
});

describe('buildListQueryString', () => {
  it('maps every field to its server name', () => {
    const qs = buildListQueryString({
      startTime: new Date('2026-03-20T00:00:00Z'),
      endTime: new Date('2026-03-20T12:00:00Z'),
      modelName: 'pixverse/pixverse-c1-t2v',
      status: 'RUNNING',
      taskId: 't-1',
      pageNo: 2,
      pageSize: 50,
    });
    const p = new URLSearchParams(qs.slice(1));
    assert.equal(qs[0], '?');
    assert.equal(p.get('start_time'), '20260320080000');
    assert.equal(p.get('end_time'), '20260320200000');
    assert.equal(p.get('model_name'), 'pixverse/pixverse-c1-t2v');
    assert.equal(p.get('status'), 'RUNNING');
    assert.equal(p.get('task_id'), 't-1');
    assert.equal(p.get('page_no'), '2');
    assert.equal(p.get('page_size'), '50');
  });
  it('an empty query gives an empty string', () => {
    assert.equal(buildListQueryString({}), '');
  });
});

describe('checkListQuery', () => {
  it('accepts a window of exactly 24 h and rejects a longer or inverted one', () => {
    const start = new Date('2026-03-20T00:00:00Z');
    assert.equal(checkListQuery({ startTime: start, endTime: new Date(start.getTime() + 24 * 3600_000) }), undefined);
    assert.match(checkListQuery({ startTime: start, endTime: new Date(start.getTime() + 24 * 3600_000 + 1) }) ?? '', /24 h/);
    assert.match(checkListQuery({ startTime: start, endTime: new Date(start.getTime() - 1) }) ?? '', /before/);
  });
  it('rejects invalid dates and page numbers', () => {
    assert.notEqual(checkListQuery({ startTime: new Date('nope') }), undefined);
    assert.notEqual(checkListQuery({ pageNo: 0 }), undefined);
    assert.notEqual(checkListQuery({ pageSize: 1.5 }), undefined);
  });
});
