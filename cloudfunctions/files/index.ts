// Photos: where to upload one, and short-lived URLs of those the caller may see.
// One deployed function, several operations (src/core/functions.ts GROUPS): the event's `action` picks the
// operation, which keeps its own schema, rate limit and checks.
import { defineGroup } from '../../server/runner';
import { main as photoUpload } from './photoUpload';
import { main as fileUrls } from './fileUrls';

export const main = defineGroup('files', { photoUpload, fileUrls });
