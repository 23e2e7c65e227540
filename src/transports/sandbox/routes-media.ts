/** Control API routes for media the web console shows: voice records in a form browsers play. */
import { ApiError } from '../../protocol/errors.js';
import { FileAnswer } from './file-answer.js';
import type { Route } from './router.js';

/** `/api/records/:file`. */
export const MEDIA_ROUTES: readonly Route[] = [
  {
    method: 'GET', path: '/api/records/:file', summary: 'a stored voice record (SILK, AMR…) as MP3 a browser plays, converted once and cached; byte ranges (Range) for seeking', handler: async ({ playableRecord }, { params }) => {
      if (playableRecord === undefined) throw new ApiError('OPERATION_FAILED', 'this control server converts no voice records');
      const record = await playableRecord(params['file'] ?? '');
      return new FileAnswer(record.path, record.contentType);
    },
  },
];
