// The https address of a stored object, as report.md links it.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { objectHttpUrl } from '../../src/core/store/store-location.js';

describe('objectHttpUrl', () => {
  it('virtual-hosted on an endpoint, path style when forced, AWS regional without one; keys escaped', () => {
    const url = 's3://team/renders/videos/ab.mp4';
    assert.equal(objectHttpUrl(url, { endpoint: 'https://s3.oss-cn-beijing.aliyuncs.com', forcePathStyle: false }), 'https://team.s3.oss-cn-beijing.aliyuncs.com/renders/videos/ab.mp4');
    assert.equal(objectHttpUrl(url, { endpoint: 'http://127.0.0.1:9000', forcePathStyle: true }), 'http://127.0.0.1:9000/team/renders/videos/ab.mp4');
    assert.equal(objectHttpUrl(url, { region: 'eu-central-1', forcePathStyle: false }), 'https://team.s3.eu-central-1.amazonaws.com/renders/videos/ab.mp4');
    assert.equal(objectHttpUrl('s3://team/a b(1)/x.mp4', { forcePathStyle: false }), 'https://team.s3.us-east-1.amazonaws.com/a%20b%281%29/x.mp4');
    assert.equal(objectHttpUrl('https://not-s3/x', { forcePathStyle: false }), undefined);
  });
});
