/** `get_version_info` (§6.7, §11.3): the 4.15 fields and OneBot v11's required ones. */
import path from 'node:path';
import { defineAction } from '../../core/action.js';
import { params } from '../../core/params.js';

/** The protocol version cqhttpd is wire-compatible with. */
export const PLUGIN_VERSION = '4.15.0';
export const PLUGIN_BUILD_NUMBER = 441;

export const getVersionInfo = defineAction({
  name: 'get_version_info',
  summary: 'Versions: CQHTTP 4.15 fields plus app_name, app_version, protocol_version (v11).',
  params: params({}),
  handler: (_p, ctx) => ({
    app_name: ctx.build.appName,
    app_version: ctx.build.appVersion,
    backend: ctx.backend.kind,
    coolq_directory: ctx.dataDir.endsWith(path.sep) ? ctx.dataDir : ctx.dataDir + path.sep,
    coolq_edition: 'pro',
    plugin_build_configuration: 'release',
    plugin_build_number: PLUGIN_BUILD_NUMBER,
    plugin_version: PLUGIN_VERSION,
    protocol_version: 'v11',
    runtime_os: process.platform,
    runtime_version: process.version,
  }),
});
