// 登记 register: category + track (individual / common / hard), or defer with a re-review date, or reject with a reason.
import { RegisterEvent, registerCommand } from '../../src/core';
import { defineStage } from '../../server/runner';
import { categoriesOf } from '../../server/store';

export const main = defineStage('register', RegisterEvent, (event, { org }) => registerCommand(event, categoriesOf(org)));
