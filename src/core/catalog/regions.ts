// Where each region's DashScope API lives. Data, like the models: the config resolves a region
// to its base URL here, and the HTTP client defaults to it.
import type { Region } from '../types.js';

export const BASE_URLS: Readonly<Record<Region, string>> = {
  'cn-beijing': 'https://dashscope.aliyuncs.com/api/v1',
  'ap-southeast-1': 'https://dashscope-intl.aliyuncs.com/api/v1',
  'us-east-1': 'https://dashscope-us.aliyuncs.com/api/v1',
};
