// Spreadsheets in and out: the batch import and the ledgers (exceljs).
// One deployed function, several operations (src/core/functions.ts GROUPS): the event's `action` picks the
// operation, which keeps its own schema, rate limit and checks.
import { defineGroup } from '../../server/runner';
import { main as importBatch } from './importBatch';
import { main as exportLedger } from './exportLedger';

export const main = defineGroup('sheets', { importBatch, exportLedger });
