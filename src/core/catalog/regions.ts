// Where each region's DashScope API lives. Data, like the models: the config resolves a region
// (and a host kind) to its base URL here, and the HTTP client defaults to it.
// Source: help.aliyun.com/zh/model-studio/base-url ("Base URL总览", 2026 copy 218cf99) and
// regions ("选择地域和服务部署范围").
import type { Region } from '../types.js';

/**
 * The shared DashScope host of each region that has one. Frankfurt and Tokyo have none: they are
 * reached only through workspace hosts.
 */
export const BASE_URLS: Readonly<Partial<Record<Region, string>>> = {
  'cn-beijing': 'https://dashscope.aliyuncs.com/api/v1',
  'ap-southeast-1': 'https://dashscope-intl.aliyuncs.com/api/v1',
  'us-east-1': 'https://dashscope-us.aliyuncs.com/api/v1',
  'cn-hongkong': 'https://cn-hongkong.dashscope.aliyuncs.com/api/v1',
};

export const REGION_NAMES: Readonly<Record<Region, string>> = {
  'cn-beijing': 'China (Beijing)',
  'ap-southeast-1': 'Singapore',
  'us-east-1': 'US (Virginia)',
  'eu-central-1': 'Germany (Frankfurt)',
  'ap-northeast-1': 'Japan (Tokyo)',
  'cn-hongkong': 'China (Hong Kong)',
};

/**
 * The kind of host requests go to: the region's shared DashScope host; a workspace host
 * (`{WorkspaceId}.{region}.maas.aliyuncs.com`, "仅限业务空间所属 API Key 调用": only the
 * workspace's own keys); or a base URL set by hand (an emulator, a proxy).
 */
export type HostKind = 'dashscope' | 'workspace' | 'custom';

/** A workspace host's base URL. */
export function workspaceBaseUrl(workspaceId: string, region: Region): string {
  return `https://${workspaceId}.${region}.maas.aliyuncs.com/api/v1`;
}

/** A workspace id as it can appear in a host name. */
export const WORKSPACE_ID_PATTERN = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;
